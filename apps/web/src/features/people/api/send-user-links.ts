import type { LinkSent } from '@covey/schema';
import { api, ApiError } from '@/lib/api-client';
import { userPath, useUsersMutation } from './user-path';

/** A link mailed to someone: where it went, until when it works. */
export type { LinkSent };

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

export const useResendInvitation = () => useUsersMutation(resendInvitation);
export const useRevokeInvitation = () => useUsersMutation(revokeInvitation);
export const useSendPasswordReset = () => useUsersMutation(sendPasswordReset);
