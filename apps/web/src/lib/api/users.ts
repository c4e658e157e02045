import type { listUsersQuerySchema, PageOf, userSchema } from '@covey/schema';
import type { z } from 'zod';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, toQuery } from '@/lib/api-client';
import { queryKeys } from './query-keys';

// The people list: the people screen and the user picker (groups, programs) both read it.

export type UsersPage = PageOf<typeof userSchema>;
/** Search, state, role, and `group`: people with a role in that group or any group below it. */
export type UsersFilter = Pick<z.input<typeof listUsersQuerySchema>, 'q' | 'status' | 'role' | 'group'>;

export const getUsers = ({ filter, cursor, signal }: { filter: UsersFilter; cursor?: string | undefined; signal?: AbortSignal }) =>
  api.get<UsersPage>(`/api/v1/users${toQuery({ ...filter, cursor, limit: 50 })}`, { signal });

export const getUsersQueryOptions = (filter: UsersFilter) =>
  queryOptions({ queryKey: queryKeys.users.list(filter), queryFn: ({ signal }) => getUsers({ filter, signal }) });

export const useUsers = (filter: UsersFilter, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...getUsersQueryOptions(filter), enabled, placeholderData: keepPreviousData });
