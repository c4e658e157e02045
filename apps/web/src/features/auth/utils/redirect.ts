import { paths } from '@/config/paths';

// Pages a sign-in must not land back on: they would loop, or show a dead link.
const authPages: readonly string[] = [
  paths.auth.login.path,
  paths.auth.forgotPassword.path,
  paths.auth.resetPassword.path,
  paths.auth.invite.path,
  paths.auth.sso.path,
];

/**
 * Where to go after signing in: a path of this app only. `?redirectTo=` and the single sign-on hand-off come from a
 * URL anyone can craft, so anything that could leave the site (`//host`, `/\host`, `https:`, control characters the
 * URL parser drops) falls back to home: an open redirect after a real sign-in is a phishing aid.
 */
export function safeRedirect(target: string | null | undefined, origin: string = window.location.origin): string {
  const home = paths.home.getHref();
  if (!target || target.length > 2000) return home;
  // One leading slash, then no second slash or backslash (browsers read `/\host` as `//host`).
  if (!/^\/(?![/\\])/.test(target)) return home;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f\\]/.test(target)) return home;
  let url: URL;
  try {
    url = new URL(target, origin);
  } catch {
    return home;
  }
  if (url.origin !== new URL(origin).origin) return home;
  if (authPages.includes(url.pathname)) return home;
  return `${url.pathname}${url.search}${url.hash}`;
}
