import type { LinkCheck, Session, SetPasswordBody, SignInMethods } from '@covey/schema';
import { queryOptions } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

// The public identity endpoints: none sends the bearer token (the person is not signed in yet).

export type SsoMethod = NonNullable<SignInMethods['oidc']>;

export { getSignInMethods, signInMethodsQueryOptions, useSignInMethods } from '@/lib/api/sign-in-methods';

/** The single sign-on providers offered, in a stable order. */
export const ssoProviders = (methods: SignInMethods | undefined): SsoMethod[] =>
  methods ? [methods.oidc, methods.saml].filter((m): m is SsoMethod => m !== null) : [];

/** Where a sign-in button goes: the provider's start URL, told where to come back to in the app. */
export function ssoStartHref(method: SsoMethod, redirectTo: string): string {
  const separator = method.startUrl.includes('?') ? '&' : '?';
  return `${method.startUrl}${separator}redirectTo=${encodeURIComponent(redirectTo)}`;
}

export type LinkKind = LinkCheck['kind'];

/** Who a one-time link is for; an invalid, used or expired link answers 410 `link_expired`. */
export const checkLinkToken = (token: string) =>
  api.post<LinkCheck>('/api/v1/auth/tokens/check', { token }, { auth: false });

export const linkCheckQueryOptions = (token: string) =>
  queryOptions({
    // The token stays in memory only; the check changes nothing, so it is not retried on a definite answer.
    queryKey: queryKeys.auth.link(token),
    queryFn: () => checkLinkToken(token),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });

export const acceptInvitation = (body: SetPasswordBody) =>
  api.post<Session>('/api/v1/auth/invitations/accept', body, { auth: false });

export const resetPassword = (body: SetPasswordBody) =>
  api.post<Session>('/api/v1/auth/password/reset', body, { auth: false });

/** Always 202, whether the address exists or not (429 when asked too often). */
export const forgotPassword = (email: string) =>
  api.post<undefined>('/api/v1/auth/password/forgot', { email }, { auth: false });

/** The single sign-on hand-off: the refresh token from the fragment, traded for a session (it rotates). */
export const exchangeRefreshToken = (refreshToken: string) =>
  api.post<Session>('/api/v1/auth/refresh', { refreshToken }, { auth: false });
