import type { Deps } from '../../lib/deps.ts';
import type { User as UserRow } from '../../generated/prisma/client.ts';
import type { Tx } from '../../db/sql.ts';
import { audit } from '../../lib/audit.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Principal } from '../../lib/principal.ts';
import { publicUrl } from '../../lib/public-url.ts';
import { randomToken, sha256 } from '../../lib/tokens.ts';
import { requireUser } from '../../policy/index.ts';
import { queueMails } from '../mail/mail.service.ts';
import { templates } from '../mail/templates.ts';
import { authService } from './auth.service.ts';
import { hashNewPassword } from './strong-password.ts';

export type LinkKind = 'invite' | 'reset';
export const RESET_MINUTES = 30;

const expired = () => new AppError('link_expired', 'This link has expired or was already used; ask for a new one.');

/**
 * One-time links by mail: invitations (a person created without a password chooses one) and password resets. The
 * token is random, only its SHA-256 is stored, it is single use, expires (INVITE_TTL_DAYS, 30 minutes for a reset),
 * and a new link of the same kind revokes the previous one.
 */
export function linksService(deps: Deps<'db' | 'env' | 'boss' | 'jwt' | 'touchActivity'>) {
  const prisma = deps.db.prisma;

  /** Issues a link in the caller's transaction and queues its mail there (both commit, or neither). */
  async function issue(tx: Tx, user: UserRow, kind: LinkKind, by: Principal | null) {
    const token = randomToken();
    const ttl = kind === 'invite' ? deps.env.INVITE_TTL_DAYS * 86_400_000 : RESET_MINUTES * 60_000;
    const expiresAt = new Date(Date.now() + ttl);
    await tx.userToken.updateMany({ where: { userId: user.id, kind, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    await tx.userToken.create({
      data: { userId: user.id, kind, tokenHash: sha256(token), expiresAt, createdById: by?.type === 'user' ? by.id : null },
    });
    const base = publicUrl(deps);
    const inviter = by?.type === 'user' ? await tx.user.findUnique({ where: { id: by.id }, select: { firstName: true, lastName: true } }) : null;
    const mail =
      kind === 'invite'
        ? templates.invitation({
            recipient: user.firstName,
            inviter: inviter ? `${inviter.firstName} ${inviter.lastName}`.trim() : null,
            url: `${base}/invite#token=${token}`,
            expiresAt,
          })
        : templates.passwordReset({ recipient: user.firstName, url: `${base}/reset-password#token=${token}`, minutes: RESET_MINUTES });
    await queueMails(deps, tx, [{ to: user.email, kind: kind === 'invite' ? 'invitation' : 'password_reset', ...mail }]);
    return { sentTo: user.email, expiresAt: expiresAt.toISOString() };
  }

  /** The person behind a valid link (not used, not revoked, not expired), or 410. */
  async function find(token: string, kind?: LinkKind) {
    const row = await prisma.userToken.findUnique({ where: { tokenHash: sha256(token) }, include: { user: true } });
    if (!row || row.usedAt || row.revokedAt || row.expiresAt <= new Date() || (kind && row.kind !== kind)) throw expired();
    if (row.user.status !== 'active' || row.user.erasedAt) throw expired();
    return row;
  }

  /**
   * Sets the password through a link: the link is claimed atomically (a second use finds it used), every session of
   * the person is revoked, the lockout is cleared, and a new session is opened.
   */
  async function setPassword(token: string, kind: LinkKind, password: string) {
    const row = await find(token, kind);
    const passwordHash = await hashNewPassword(password, row.user);
    await prisma.$transaction(async (tx) => {
      const claimed = await tx.userToken.updateMany({
        where: { id: row.id, usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        data: { usedAt: new Date() },
      });
      if (claimed.count === 0) throw expired();
      await tx.userToken.updateMany({ where: { userId: row.userId, kind, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
      await tx.refreshToken.updateMany({ where: { userId: row.userId, revokedAt: null }, data: { revokedAt: new Date() } });
      await tx.user.update({ where: { id: row.userId }, data: { passwordHash, failedLogins: 0, lockedUntil: null, version: { increment: 1 } } });
      const self = { type: 'user' as const, id: row.userId, role: row.user.role };
      await audit(tx, self, kind === 'invite' ? 'user.invitation.accept' : 'user.password.reset', { type: 'user', id: row.userId });
    });
    return authService(deps).signInAs(row.userId);
  }

  const requirePerson = (principal: Principal, ref: string) =>
    requireUser(prisma, principal, ref, 'manage', (id) => prisma.user.findUnique({ where: { id } }));

  return {
    issue,

    async check(token: string) {
      const row = await find(token);
      return { kind: row.kind, email: row.user.email, firstName: row.user.firstName, lastName: row.user.lastName };
    },

    acceptInvitation: (token: string, password: string) => setPassword(token, 'invite', password),
    resetPassword: (token: string, password: string) => setPassword(token, 'reset', password),

    /**
     * "Forgot password?": the same answer whether the address exists or not. A link goes only to an active person
     * who may use a password (with single sign-on only, the owner).
     */
    async forgot(email: string) {
      const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
      if (!user || user.status !== 'active' || user.erasedAt) return;
      if (deps.env.COVEY_SSO_ONLY === '1' && user.role !== 'owner') return;
      await prisma.$transaction((tx) => issue(tx, user, 'reset', null));
    },

    /** (Re)sends an invitation: for people who never chose a password nor signed in. */
    async invite(principal: Principal, ref: string) {
      const user = await requirePerson(principal, ref);
      if (user.passwordHash || user.lastLoginAt || user.status !== 'active')
        throw new AppError('already_active', 'This person already signed in or has a password; send a password reset instead.');
      return prisma.$transaction(async (tx) => {
        const sent = await issue(tx, user, 'invite', principal);
        await audit(tx, principal, 'user.invitation.send', { type: 'user', id: user.id });
        return sent;
      });
    },

    async revokeInvitation(principal: Principal, ref: string) {
      const user = await requirePerson(principal, ref);
      await prisma.$transaction(async (tx) => {
        const revoked = await tx.userToken.updateMany({
          where: { userId: user.id, kind: 'invite', usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
          data: { revokedAt: new Date() },
        });
        if (revoked.count === 0) throw notFound('not_found', 'A pending invitation');
        await audit(tx, principal, 'user.invitation.revoke', { type: 'user', id: user.id });
      });
    },

    /** Admins send a reset link instead of setting someone's password. */
    async sendReset(principal: Principal, ref: string) {
      const user = await requirePerson(principal, ref);
      if (user.status !== 'active') throw new AppError('unprocessable', 'This person is deactivated.');
      return prisma.$transaction(async (tx) => {
        const sent = await issue(tx, user, 'reset', principal);
        await audit(tx, principal, 'user.password.reset.send', { type: 'user', id: user.id });
        return sent;
      });
    },
  };
}

/**
 * Invites many new people at once (an import's batch), as `issue` does one: their links in one statement and their
 * mails queued together, in the caller's transaction. For people who have no pending link yet.
 */
export async function inviteMany(deps: Deps<'boss' | 'env'>, tx: Tx, users: { id: string; email: string; firstName: string }[], by: Principal) {
  if (!users.length) return;
  const expiresAt = new Date(Date.now() + deps.env.INVITE_TTL_DAYS * 86_400_000);
  const tokens = users.map(() => randomToken());
  await tx.$executeRaw`
    INSERT INTO user_tokens (user_id, kind, token_hash, expires_at, created_by_id)
    SELECT u, 'invite', h, ${expiresAt}, ${by.type === 'user' ? by.id : null}::uuid
    FROM unnest(${users.map((u) => u.id)}::uuid[], ${tokens.map((t) => sha256(t))}::text[]) AS t(u, h)`;
  const inviter = by.type === 'user' ? await tx.user.findUnique({ where: { id: by.id }, select: { firstName: true, lastName: true } }) : null;
  const base = publicUrl(deps);
  await queueMails(
    deps,
    tx,
    users.map((user, i) => ({
      to: user.email,
      kind: 'invitation',
      ...templates.invitation({
        recipient: user.firstName,
        inviter: inviter ? `${inviter.firstName} ${inviter.lastName}`.trim() : null,
        url: `${base}/invite#token=${tokens[i]}`,
        expiresAt,
      }),
    })),
  );
}
