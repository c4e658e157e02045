import type { GroupRole, MemberRolesResult } from '@covey/schema';
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { groupPath } from '@/lib/api/groups';
import { queryKeys } from '@/lib/api/query-keys';

/** The API answers what changed (roles added and removed, enrollments created and withdrawn), not the member. */
export const setMemberRoles = ({ groupId, userId, roles }: { groupId: string; userId: string; roles: GroupRole[] }) =>
  api.put<MemberRolesResult>(`${groupPath(groupId)}/members/${encodeURIComponent(userId)}`, { roles });

// Member counts show in the tree and "my groups"; both read from the groups/me caches.
export const invalidateMemberships = (queryClient: QueryClient) =>
  Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.groups.all }),
    queryClient.invalidateQueries({ queryKey: queryKeys.me.all }),
  ]);

export const useSetMemberRoles = (groupId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, roles }: { userId: string; roles: GroupRole[] }) => setMemberRoles({ groupId, userId, roles }),
    onSuccess: () => invalidateMemberships(queryClient),
  });
};
