import { safeRedirect } from './redirect';

// Links from e-mails and the single sign-on hand-off carry their secret in the URL fragment: browsers never send it
// to a server, nor in a Referer header, so it stays out of access logs.

/** The `key=value&…` pairs of a fragment (`#a=1&b=2`), with or without its leading `#`; a query string is not one. */
export function readFragment(hash: string): URLSearchParams {
  if (hash.startsWith('?')) return new URLSearchParams();
  return new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
}

// URL-safe characters only (what the API's tokens are made of); anything else is a mangled or crafted link.
const tokenPattern = /^[\w.~-]{1,512}$/;

/** The one-time token of an invitation or password reset link (`#token=…`), or null when the link has none. */
export function readLinkToken(hash: string): string | null {
  const token = readFragment(hash).get('token')?.trim() ?? '';
  return tokenPattern.test(token) ? token : null;
}

export type SsoHandOff = { refreshToken: string; redirectTo: string };

/**
 * What the API hands over after a single sign-on (`#refreshToken=…&redirectTo=/path`): the refresh token to trade
 * for a session, and where to go next (a path of this app only, else home). Null when there is no token.
 */
export function readSsoHandOff(hash: string, origin?: string): SsoHandOff | null {
  const fragment = readFragment(hash);
  const refreshToken = fragment.get('refreshToken')?.trim() ?? '';
  if (!tokenPattern.test(refreshToken)) return null;
  return { refreshToken, redirectTo: safeRedirect(fragment.get('redirectTo'), origin) };
}

/** Removes the fragment from the address bar (and this history entry) without a navigation, once it has been read. */
export function clearFragment(): void {
  if (!window.location.hash) return;
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}`);
}
