import type { memberSchema, PageOf } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type MembersPage = PageOf<typeof memberSchema>;

export const getGroupMembers = ({ groupId, signal }: { groupId: string; signal?: AbortSignal }) =>
  api.get<MembersPage>(`/api/v1/groups/${encodeURIComponent(groupId)}/members?limit=100`, { signal });

export const getGroupMembersQueryOptions = (groupId: string) =>
  queryOptions({
    queryKey: queryKeys.groups.members(groupId),
    queryFn: ({ signal }) => getGroupMembers({ groupId, signal }),
  });

export const useGroupMembers = (groupId: string) => useQuery(getGroupMembersQueryOptions(groupId));
