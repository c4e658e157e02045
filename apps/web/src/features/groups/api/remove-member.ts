import type { MemberRemoval } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, toQuery } from '@/lib/api-client';
import { groupPath } from '@/lib/api/groups';
import { invalidateMemberships } from './set-member-roles';

export type MemberRemovalPreview = MemberRemoval;

const memberPath = (groupId: string, userId: string) => `${groupPath(groupId)}/members/${encodeURIComponent(userId)}`;

/** What removing the person would do (roles lost, unstarted enrollments withdrawn); changes nothing. */
export const previewMemberRemoval = ({ groupId, userId }: { groupId: string; userId: string }) =>
  api.delete<MemberRemovalPreview>(`${memberPath(groupId, userId)}${toQuery({ dryRun: true })}`);

export const removeMember = ({ groupId, userId }: { groupId: string; userId: string }) =>
  api.delete<undefined>(memberPath(groupId, userId));

export const useRemoveMember = (groupId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => removeMember({ groupId, userId }),
    onSuccess: () => invalidateMemberships(queryClient),
  });
};
