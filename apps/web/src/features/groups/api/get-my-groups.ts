import type { GroupRole } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

// The `me/groups` item has no named schema in @covey/schema; this mirrors the OpenAPI answer.
export type MyGroup = {
  id: string;
  name: string;
  description: string | null;
  parentId: string | null;
  logoUrl: string | null;
  colors: Record<string, string>;
  roles: GroupRole[];
};
export type MyGroupsPage = { items: MyGroup[]; nextCursor: string | null };

export const getMyGroups = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<MyGroupsPage>('/api/v1/me/groups?limit=100', { signal });

export const getMyGroupsQueryOptions = () =>
  queryOptions({ queryKey: ['me', 'groups'], queryFn: ({ signal }) => getMyGroups({ signal }) });

export const useMyGroups = () => useQuery(getMyGroupsQueryOptions());
