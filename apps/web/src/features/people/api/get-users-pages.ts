import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { getUsers, type UsersFilter } from '@/lib/api/users';
import { queryKeys } from '@/lib/api/query-keys';

/** The people screen's list: 50 at a time, "load more" follows the API's cursor to the last person. */
export const getUsersPagesQueryOptions = (filter: UsersFilter) =>
  infiniteQueryOptions({
    queryKey: queryKeys.users.pages(filter),
    queryFn: ({ pageParam, signal }) => getUsers({ filter, cursor: pageParam, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const useUsersPages = (filter: UsersFilter) =>
  useInfiniteQuery({ ...getUsersPagesQueryOptions(filter), placeholderData: keepPreviousData });
