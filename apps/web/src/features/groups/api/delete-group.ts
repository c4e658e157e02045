import type { GroupDeletion } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, toQuery } from '@/lib/api-client';
import { groupPath } from '@/lib/api/groups';
import { queryKeys } from '@/lib/api/query-keys';

export type GroupDeletionPreview = GroupDeletion;

/** What deleting the group would do; a group with subgroups cannot be deleted. Changes nothing. */
export const previewGroupDeletion = (groupId: string) =>
  api.delete<GroupDeletionPreview>(`${groupPath(groupId)}${toQuery({ dryRun: true })}`);

export const deleteGroup = (groupId: string) => api.delete<undefined>(groupPath(groupId));

export const useDeleteGroup = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteGroup,
    // The deleted group's own queries are left alone: they would only answer 404 while its page is still up, saying
    // what was done.
    onSuccess: (_, groupId) =>
      Promise.all([
        queryClient.invalidateQueries({
          queryKey: queryKeys.groups.all,
          predicate: (query) => query.queryKey[1] !== groupId,
        }),
        queryClient.invalidateQueries({ queryKey: queryKeys.me.all }),
        queryClient.invalidateQueries({ queryKey: queryKeys.programs.all }),
      ]),
  });
};
