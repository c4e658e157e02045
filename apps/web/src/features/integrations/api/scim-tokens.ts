import type { CreatedScimToken, CreateScimTokenBody, PageOf, ScimToken, scimTokenSchema } from '@covey/schema';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type { CreatedScimToken, ScimToken };

const key = queryKeys.integrations.scimTokens();

export const getScimTokens = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<PageOf<typeof scimTokenSchema>>('/api/v1/integrations/scim-tokens', { signal });

export const getScimTokensQueryOptions = () =>
  queryOptions({ queryKey: key, queryFn: ({ signal }) => getScimTokens({ signal }) });

export const useScimTokens = () => useQuery(getScimTokensQueryOptions());

export const createScimToken = (body: CreateScimTokenBody) =>
  api.post<CreatedScimToken>('/api/v1/integrations/scim-tokens', body);

export const revokeScimToken = (id: string) =>
  api.delete<undefined>(`/api/v1/integrations/scim-tokens/${encodeURIComponent(id)}`);

export const useCreateScimToken = () => {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createScimToken, onSuccess: () => queryClient.invalidateQueries({ queryKey: key }) });
};

export const useRevokeScimToken = () => {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: revokeScimToken, onSuccess: () => queryClient.invalidateQueries({ queryKey: key }) });
};
