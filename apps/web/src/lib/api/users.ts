import type { User } from '@covey/schema';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, toQuery } from '@/lib/api-client';
import { queryKeys } from './query-keys';

// The people list: the people screen and the user picker (groups, programs) both read it.

export type UsersPage = { items: User[]; nextCursor: string | null };
export type UsersFilter = { q?: string; status?: 'active' | 'deactivated' };

export const getUsers = ({ filter, signal }: { filter: UsersFilter; signal?: AbortSignal }) =>
  api.get<UsersPage>(`/api/v1/users${toQuery({ ...filter, limit: 50 })}`, { signal });

export const getUsersQueryOptions = (filter: UsersFilter) =>
  queryOptions({ queryKey: queryKeys.users.list(filter), queryFn: ({ signal }) => getUsers({ filter, signal }) });

export const useUsers = (filter: UsersFilter, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...getUsersQueryOptions(filter), enabled, placeholderData: keepPreviousData });
