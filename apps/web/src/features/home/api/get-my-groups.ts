import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

// TODO: take these from @covey/schema once it exports the `me` list schemas.
export type MyGroup = { id: string; name: string; description: string | null; roles: string[] };
export type MyGroupsPage = { items: MyGroup[]; nextCursor: string | null };

export const getMyGroups = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<MyGroupsPage>('/api/v1/me/groups', { signal });

export const getMyGroupsQueryOptions = () =>
  queryOptions({ queryKey: ['me', 'groups'], queryFn: ({ signal }) => getMyGroups({ signal }) });

export const useMyGroups = () => useQuery(getMyGroupsQueryOptions());
