import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export const clientScopes = ['users:read', 'users:write', 'groups:read', 'groups:write', 'bulk', 'webhooks'] as const;
export type ClientScope = (typeof clientScopes)[number];
// Mirrors the OpenAPI answer of /integrations/clients (no named schema in @covey/schema).
export type ApiClient = {
  id: string;
  name: string;
  clientId: string;
  scopes: ClientScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};
export type CreatedApiClient = ApiClient & { clientSecret: string };

const key = queryKeys.integrations.clients();

export const getClients = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<{ items: ApiClient[] }>('/api/v1/integrations/clients', { signal });

export const getClientsQueryOptions = () => queryOptions({ queryKey: key, queryFn: ({ signal }) => getClients({ signal }) });

export const useClients = () => useQuery(getClientsQueryOptions());

export const createClient = (body: { name: string; scopes: ClientScope[] }) =>
  api.post<CreatedApiClient>('/api/v1/integrations/clients', body);

export const revokeClient = (id: string) => api.delete<undefined>(`/api/v1/integrations/clients/${encodeURIComponent(id)}`);

export const useCreateClient = () => {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createClient, onSuccess: () => queryClient.invalidateQueries({ queryKey: key }) });
};

export const useRevokeClient = () => {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: revokeClient, onSuccess: () => queryClient.invalidateQueries({ queryKey: key }) });
};
