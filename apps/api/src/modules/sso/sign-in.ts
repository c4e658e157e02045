import type { Deps } from '../../lib/deps.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User as UserRow } from '../../generated/prisma/client.ts';
import { escapeHtml } from '../../lib/html.ts';
import { publicUrl } from '../../lib/public-url.ts';
import { authService } from '../auth/auth.service.ts';
import { emit } from '../../db/outbox.ts';
import { audit } from '../../lib/audit.ts';

/** What a provider vouches for about the person signing in. */
export type SsoIdentity = { email?: string | null; userName?: string | null; firstName?: string | null; lastName?: string | null };
export type SsoSettings = { match: 'email' | 'userName'; jit: boolean; provider: 'oidc' | 'saml' };

export type SsoMatch = { user: UserRow } | { refused: string };

/**
 * The Covey person a provider's identity is: matched by e-mail or by userName (stored lower-cased), active only. An
 * unknown person is created as a learner when just-in-time creation is on, else refused with the reason in words.
 */
export async function matchPerson(deps: Deps<'db'>, identity: SsoIdentity, settings: SsoSettings): Promise<SsoMatch> {
  const prisma = deps.db.prisma;
  const email = identity.email?.trim().toLowerCase() || null;
  const userName = identity.userName?.trim().toLowerCase() || null;
  const key = settings.match === 'email' ? email : userName;
  if (!key) return { refused: `The identity provider did not send your ${settings.match === 'email' ? 'e-mail address' : 'user name'}.` };
  const user = await prisma.user.findUnique({ where: settings.match === 'email' ? { email: key } : { userName: key } });
  if (user) {
    if (user.status !== 'active' || user.erasedAt) return { refused: 'Your Covey account is deactivated. Ask an administrator.' };
    return { user };
  }
  if (!settings.jit) return { refused: 'You have no Covey account yet. Ask an administrator to invite you.' };
  if (!email) return { refused: 'The identity provider did not send your e-mail address, which a new account needs.' };
  const created = await prisma.$transaction(async (tx) => {
    const u = await tx.user.create({
      data: {
        email,
        userName,
        emails: [{ value: email, type: 'work', primary: true }],
        firstName: identity.firstName?.trim() || email.split('@')[0]!,
        lastName: identity.lastName?.trim() || '',
        role: 'learner',
      },
    });
    await emit(tx, 'user.created', { userId: u.id, email: u.email, externalId: u.externalId });
    await audit(tx, { type: 'user', id: u.id, role: 'learner' }, 'user.create', { type: 'user', id: u.id }, { via: settings.provider });
    return u;
  });
  return { user: created };
}

/** A path inside Covey, else nothing: never another origin (`//host`, `/\host`), never control characters. */
export function safePath(value: string | null | undefined): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  return [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) ? null : value;
}

/**
 * Signs the person in and hands the session to the web app: a redirect to /auth/sso whose fragment (never sent to a
 * server, nor logged) carries the refresh token; the app trades it for an access token at once.
 */
export async function handOff(app: Deps<'db' | 'env' | 'jwt' | 'touchActivity'>, reply: FastifyReply, user: UserRow, redirectTo?: string | null) {
  const session = await authService(app).signInAs(user.id);
  const target = safePath(redirectTo) ?? '/';
  const fragment = new URLSearchParams({ refreshToken: session.refreshToken, redirectTo: target });
  return reply.code(303).header('cache-control', 'no-store').header('location', `/auth/sso#${fragment.toString()}`).send();
}

/** A sign-in that did not go through: a page that says why, with the way back. */
export function refusalPage(app: Deps<'env'>, request: FastifyRequest, reply: FastifyReply, status: number, reason: string) {
  const back = `${publicUrl(app, request)}/login`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Sign-in refused · Covey</title></head><body style="font-family:system-ui,sans-serif;max-width:560px;margin:48px auto;padding:0 24px;color:#1b1b1b"><main><h1>You could not be signed in</h1><p>${escapeHtml(reason)}</p><p><a href="${escapeHtml(back)}">Back to the sign-in page</a></p></main></body></html>`;
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}
