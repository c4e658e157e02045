import type { Member } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export type MembersPage = { items: Member[]; nextCursor: string | null };

export const getGroupMembers = ({ groupId, signal }: { groupId: string; signal?: AbortSignal }) =>
  api.get<MembersPage>(`/api/v1/groups/${encodeURIComponent(groupId)}/members?limit=100`, { signal });

export const getGroupMembersQueryOptions = (groupId: string) =>
  queryOptions({
    queryKey: ['groups', groupId, 'members'],
    queryFn: ({ signal }) => getGroupMembers({ groupId, signal }),
  });

export const useGroupMembers = (groupId: string) => useQuery(getGroupMembersQueryOptions(groupId));
