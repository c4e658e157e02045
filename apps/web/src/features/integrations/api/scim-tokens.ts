import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

// Mirrors the OpenAPI answer of /integrations/scim-tokens.
export type ScimToken = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};
export type CreatedScimToken = ScimToken & { token: string };

const key = queryKeys.integrations.scimTokens();

export const getScimTokens = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<{ items: ScimToken[] }>('/api/v1/integrations/scim-tokens', { signal });

export const getScimTokensQueryOptions = () =>
  queryOptions({ queryKey: key, queryFn: ({ signal }) => getScimTokens({ signal }) });

export const useScimTokens = () => useQuery(getScimTokensQueryOptions());

export const createScimToken = (body: { name: string }) =>
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
