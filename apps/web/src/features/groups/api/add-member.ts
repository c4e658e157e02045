import type { GroupRole, User } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { getGroupMembersQueryOptions } from './get-group-members';
import { invalidateMemberships, setMemberRoles } from './set-member-roles';

/** What a person typed, as the API's user reference: an e-mail address, else an external id. */
export const toUserRef = (value: string) => (/^[^\s@]+@[^\s@]+$/.test(value) ? `email:${value}` : `ext:${value}`);

const getUserId = (ref: string) => api.get<User>(`/api/v1/users/${encodeURIComponent(ref)}`);

/**
 * Adds a person named exactly (no search: group admins may not list people outside their groups). PUT replaces the
 * roles, so roles the person already holds here are kept: the API shows a group admin the people of their own
 * groups, and anyone else is not in this group anyway.
 */
export const useAddMemberByRef = (groupId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ value, role }: { value: string; role: GroupRole }) => {
      const ref = toUserRef(value.trim());
      const members = queryClient.getQueryData(getGroupMembersQueryOptions(groupId).queryKey);
      const existing = await getUserId(ref)
        .then(({ id }) => members?.items.find((m) => m.user.id === id)?.roles ?? [])
        .catch(() => []);
      return setMemberRoles({ groupId, userId: ref, roles: [...new Set([...existing, role])] });
    },
    onSuccess: () => invalidateMemberships(queryClient),
  });
};
