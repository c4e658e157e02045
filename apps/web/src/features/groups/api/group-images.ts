import type { Group } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { groupPath } from '@/lib/api/groups';
import { queryKeys } from '@/lib/api/query-keys';

export type GroupImageKind = 'logo' | 'background';

export const uploadGroupImage = ({ groupId, kind, file }: { groupId: string; kind: GroupImageKind; file: File }) => {
  const form = new FormData();
  form.set('file', file);
  return api.put<Group>(`${groupPath(groupId)}/${kind}`, form);
};

export const clearGroupImage = ({ groupId, kind }: { groupId: string; kind: GroupImageKind }) =>
  api.delete<undefined>(`${groupPath(groupId)}/${kind}`);

export const useUploadGroupImage = (groupId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, file }: { kind: GroupImageKind; file: File }) => uploadGroupImage({ groupId, kind, file }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.groups.all }),
  });
};

export const useClearGroupImage = (groupId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (kind: GroupImageKind) => clearGroupImage({ groupId, kind }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.groups.all }),
  });
};
