import type { DeactivationPreview, User, WorkspaceRole } from '@covey/schema';
import { api, toQuery } from '@/lib/api-client';
import { userPath, useUsersMutation } from './user-path';

export type { DeactivationPreview };

/** What deactivating would do (sessions ended; groups and enrollments kept); changes nothing. */
export const previewDeactivation = (userId: string) =>
  api.delete<DeactivationPreview>(`${userPath(userId)}${toQuery({ dryRun: true })}`);

export const deactivateUser = (userId: string) => api.delete<undefined>(userPath(userId));
export const reactivateUser = (userId: string) => api.patch<User>(userPath(userId), { status: 'active' });

export const useSetUserActive = () =>
  useUsersMutation(({ userId, active }: { userId: string; active: boolean }) =>
    active ? reactivateUser(userId) : deactivateUser(userId),
  );

export const setUserRole = (userId: string, role: WorkspaceRole) => api.patch<User>(userPath(userId), { role });

export const useSetUserRole = () =>
  useUsersMutation(({ userId, role }: { userId: string; role: WorkspaceRole }) => setUserRole(userId, role));
