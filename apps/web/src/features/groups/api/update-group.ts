import type { Group, patchGroupBodySchema } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { groupPath } from '@/lib/api/groups';
import { queryKeys } from '@/lib/api/query-keys';

export type PatchGroupBody = z.input<typeof patchGroupBodySchema>;

export const updateGroup = ({ groupId, body }: { groupId: string; body: PatchGroupBody }) =>
  api.patch<Group>(groupPath(groupId), body);

export const useUpdateGroup = (groupId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PatchGroupBody) => updateGroup({ groupId, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.groups.all }),
  });
};
