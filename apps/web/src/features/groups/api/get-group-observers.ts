import type { Member } from '@covey/schema';
import { queryOptions, useQueries } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export type ObserversPage = { items: Member[]; nextCursor: string | null };

export const getGroupObservers = ({ groupId, signal }: { groupId: string; signal?: AbortSignal }) =>
  api.get<ObserversPage>(`/api/v1/groups/${encodeURIComponent(groupId)}/members?role=observer&limit=20`, { signal });

export const getGroupObserversQueryOptions = (groupId: string) =>
  queryOptions({
    queryKey: ['groups', groupId, 'members', 'observers'],
    queryFn: ({ signal }) => getGroupObservers({ groupId, signal }),
  });

/** Observers of several groups at once, one request per group. */
export const useGroupsObservers = (groupIds: string[]) =>
  useQueries({ queries: groupIds.map((groupId) => getGroupObserversQueryOptions(groupId)) });
