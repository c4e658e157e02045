import type { PatchWorkspaceBody, WorkspaceSettings } from '@covey/schema';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type { WorkspaceSettings };
export type DigestFrequency = WorkspaceSettings['digestFrequency'];

const key = queryKeys.admin.workspace();

export const getWorkspace = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<WorkspaceSettings>('/api/v1/admin/workspace', { signal });

export const getWorkspaceQueryOptions = () => queryOptions({ queryKey: key, queryFn: ({ signal }) => getWorkspace({ signal }) });

export const useWorkspace = () => useQuery(getWorkspaceQueryOptions());

export const patchWorkspace = (body: PatchWorkspaceBody) => api.patch<WorkspaceSettings>('/api/v1/admin/workspace', body);

export const usePatchWorkspace = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: patchWorkspace,
    onSuccess: (data) => queryClient.setQueryData(key, data),
  });
};
