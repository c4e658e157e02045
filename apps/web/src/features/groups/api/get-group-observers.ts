import type { GroupObserver, groupObserverSchema, PageOf } from '@covey/schema';
import { queryOptions, useQueries, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type { GroupObserver };
export type ObserversPage = PageOf<typeof groupObserverSchema>;

/** The people who follow a group: its own observers and those of the groups above it. */
export const getGroupObservers = ({ groupId, signal }: { groupId: string; signal?: AbortSignal }) =>
  api.get<ObserversPage>(`/api/v1/groups/${encodeURIComponent(groupId)}/observers`, { signal });

export const getGroupObserversQueryOptions = (groupId: string) =>
  queryOptions({
    // Under the members key, so a membership change in this group (which invalidates it) refreshes the list too.
    queryKey: queryKeys.groups.observers(groupId),
    queryFn: ({ signal }) => getGroupObservers({ groupId, signal }),
  });

export const useGroupObservers = (groupId: string) => useQuery(getGroupObserversQueryOptions(groupId));

/** Observers of several groups at once, one request per group. */
export const useGroupsObservers = (groupIds: string[]) =>
  useQueries({ queries: groupIds.map((groupId) => getGroupObserversQueryOptions(groupId)) });
