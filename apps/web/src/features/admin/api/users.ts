import type { CreateUserBody, DeactivationPreview, LinkSent, User, WorkspaceRole } from '@covey/schema';
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, toQuery } from '@/lib/api-client';

/** A person as the people page shows them: with their state (invited, active, deactivated) and pending invitation. */
export type AdminUser = User;
export type UsersPage = { items: AdminUser[]; nextCursor: string | null };

export type UsersFilter = { q?: string; status?: 'active' | 'deactivated' };

export const getUsers = ({ filter, signal }: { filter: UsersFilter; signal?: AbortSignal }) =>
  api.get<UsersPage>(`/api/v1/users${toQuery({ ...filter, limit: 50 })}`, { signal });

export const getUsersQueryOptions = (filter: UsersFilter) =>
  queryOptions({ queryKey: ['users', filter], queryFn: ({ signal }) => getUsers({ filter, signal }) });

export const useUsers = (filter: UsersFilter, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...getUsersQueryOptions(filter), enabled, placeholderData: keepPreviousData });

/** Without a password, the API sends the person an invitation to choose their own. */
export const createUser = (body: CreateUserBody) => api.post<AdminUser>('/api/v1/users', body);

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

/** A link mailed to someone: where it went, until when it works. */
export type { LinkSent };

const userPath = (userId: string) => `/api/v1/users/${encodeURIComponent(userId)}`;

/** A new invitation (the previous link stops working); 409 `already_active` once they signed in or have a password. */
export const resendInvitation = (userId: string) => api.post<LinkSent>(`${userPath(userId)}/invitation`);
/** The pending invitation's link stops working; 404 when none is pending (said as such, not as "not found"). */
export const revokeInvitation = (userId: string) =>
  api.delete<undefined>(`${userPath(userId)}/invitation`).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) {
      throw new ApiError({ status: 404, code: 'no_invitation', title: error.title, detail: error.detail });
    }
    throw error;
  });
/** Mails the person a link to choose a new password; the admin never sees nor types it. */
export const sendPasswordReset = (userId: string) => api.post<LinkSent>(`${userPath(userId)}/password-reset`);

const useUsersMutation = <R>(mutationFn: (userId: string) => Promise<R>) => {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }) });
};

export const useResendInvitation = () => useUsersMutation(resendInvitation);
export const useRevokeInvitation = () => useUsersMutation(revokeInvitation);
export const useSendPasswordReset = () => useUsersMutation(sendPasswordReset);
