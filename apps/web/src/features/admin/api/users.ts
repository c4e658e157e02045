import type { CreateUserBody, DeactivationPreview, User, WorkspaceRole } from '@covey/schema';
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, toQuery } from '@/lib/api-client';

export type UsersPage = { items: User[]; nextCursor: string | null };
export type UsersFilter = { q?: string; status?: 'active' | 'deactivated' };

export const getUsers = ({ filter, signal }: { filter: UsersFilter; signal?: AbortSignal }) =>
  api.get<UsersPage>(`/api/v1/users${toQuery({ ...filter, limit: 50 })}`, { signal });

export const getUsersQueryOptions = (filter: UsersFilter) =>
  queryOptions({ queryKey: ['users', filter], queryFn: ({ signal }) => getUsers({ filter, signal }) });

export const useUsers = (filter: UsersFilter, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...getUsersQueryOptions(filter), enabled, placeholderData: keepPreviousData });

export const createUser = (body: CreateUserBody) => api.post<User>('/api/v1/users', body);

export const useCreateUser = () => {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createUser, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }) });
};

export type { DeactivationPreview };

/** What deactivating would do (sessions ended; groups and enrollments kept); changes nothing. */
export const previewDeactivation = (userId: string) =>
  api.delete<DeactivationPreview>(`/api/v1/users/${encodeURIComponent(userId)}${toQuery({ dryRun: true })}`);

export const deactivateUser = (userId: string) => api.delete<undefined>(`/api/v1/users/${encodeURIComponent(userId)}`);
export const reactivateUser = (userId: string) =>
  api.patch<User>(`/api/v1/users/${encodeURIComponent(userId)}`, { status: 'active' });

export const useSetUserActive = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, active }: { userId: string; active: boolean }) =>
      active ? reactivateUser(userId) : deactivateUser(userId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
};

export const setUserRole = (userId: string, role: WorkspaceRole) =>
  api.patch<User>(`/api/v1/users/${encodeURIComponent(userId)}`, { role });

export const useSetUserRole = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: WorkspaceRole }) => setUserRole(userId, role),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
};
