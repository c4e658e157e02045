import type { ApiClient, apiClientSchema, ClientScope, CreateApiClientBody, CreatedApiClient, PageOf } from '@covey/schema';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type { ApiClient, ClientScope, CreatedApiClient };

// The scopes to offer, in this order. A local list (a value from @covey/schema would pull zod into the bundle),
// checked against the contract's: a scope the API adds or drops is a type error here.
export const clientScopes = ['users:read', 'users:write', 'groups:read', 'groups:write', 'bulk', 'webhooks'] as const;
type Unlisted = Exclude<ClientScope, (typeof clientScopes)[number]>;
const _everyScopeListed: [Unlisted] extends [never] ? true : Unlisted = true;

const key = queryKeys.integrations.clients();

export const getClients = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<PageOf<typeof apiClientSchema>>('/api/v1/integrations/clients', { signal });

export const getClientsQueryOptions = () => queryOptions({ queryKey: key, queryFn: ({ signal }) => getClients({ signal }) });

export const useClients = () => useQuery(getClientsQueryOptions());

export const createClient = (body: CreateApiClientBody) =>
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
