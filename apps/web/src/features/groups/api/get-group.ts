import type { Group } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export const getGroup = ({ groupId, signal }: { groupId: string; signal?: AbortSignal }) =>
  api.get<Group>(`/api/v1/groups/${encodeURIComponent(groupId)}`, { signal });

export const getGroupQueryOptions = (groupId: string) =>
  queryOptions({ queryKey: queryKeys.groups.detail(groupId), queryFn: ({ signal }) => getGroup({ groupId, signal }) });

export const useGroup = (groupId: string) => useQuery(getGroupQueryOptions(groupId));
