import { randomUUID } from 'node:crypto';
import type { Deps } from '../../lib/deps.ts';
import type { Session } from '@covey/schema';
import { AppError } from '../../lib/errors.ts';
import { dummyHash, verifyPassword } from '../../lib/passwords.ts';
import { randomToken, sha256 } from '../../lib/tokens.ts';
import { toMe } from '../users/user-view.ts';

const MAX_FAILED_LOGINS = 10;
const LOCK_MINUTES = 15;

export function authService(deps: Deps<'db' | 'env' | 'jwt' | 'touchActivity'>) {
  const prisma = deps.db.prisma;
  const { ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL_DAYS } = deps.env;

  async function issueSession(userId: string, familyId: string = randomUUID()): Promise<Session> {
    const user = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    const refreshToken = randomToken();
    await prisma.refreshToken.create({
      data: {
        userId,
        familyId,
        tokenHash: sha256(refreshToken),
        expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_DAYS * 86_400_000),
      },
    });
    const accessToken = deps.jwt.sign({ typ: 'access', sub: user.id, role: user.role, sid: familyId });
    return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL, user: toMe(user) };
  }

  /** Opens a session for a person whose identity was proven (a password, an invitation, a provider's assertion). */
  async function signInAs(userId: string): Promise<Session> {
    const now = new Date();
    await prisma.user.update({
      where: { id: userId },
      data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now, lastActivityAt: now },
    });
    deps.touchActivity(userId);
    return issueSession(userId);
  }

  return {
    /**
     * Sign-in. Each attempt first claims one of the account's MAX_FAILED_LOGINS guesses atomically (one UPDATE), then
     * checks the password: a burst of parallel attempts gets no more guesses than the threshold. A locked account, an
     * unknown address and a wrong password answer alike, so the answer tells nobody who has an account.
     */
    async login(email: string, password: string): Promise<Session> {
      const refused = () =>
        new AppError(
          'invalid_credentials',
          'The e-mail or password is incorrect, or the account is locked for a few minutes after too many failed sign-ins.',
        );
      const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
      // Single sign-on only: passwords are for the owner alone (break-glass); everyone else, known or not, is told so
      // before any password is checked.
      if (deps.env.COVEY_SSO_ONLY === '1' && user?.role !== 'owner')
        throw new AppError('forbidden', 'Sign in with single sign-on: passwords are turned off for this workspace.');
      if (!user) {
        await verifyPassword(await dummyHash(), password);
        throw refused();
      }
      const [claim] = await prisma.$queryRaw<{ failed_logins: number }[]>`
        UPDATE users SET failed_logins = failed_logins + 1, locked_until = NULL
        WHERE id = ${user.id}::uuid AND failed_logins < ${MAX_FAILED_LOGINS} AND (locked_until IS NULL OR locked_until <= now())
        RETURNING failed_logins`;
      if (!claim) {
        // Locked, or every guess is already claimed by attempts under way: no password is checked.
        await verifyPassword(await dummyHash(), password);
        throw refused();
      }
      const ok = await verifyPassword(user.passwordHash, password);
      if (!ok || user.status !== 'active') {
        // The last guess locks the account (and frees the counter for after the lock).
        if (!ok && claim.failed_logins >= MAX_FAILED_LOGINS)
          await prisma.$executeRaw`
            UPDATE users SET failed_logins = 0, locked_until = now() + make_interval(mins => ${LOCK_MINUTES}) WHERE id = ${user.id}::uuid`;
        if (ok)
          await prisma.$executeRaw`UPDATE users SET failed_logins = greatest(failed_logins - 1, 0) WHERE id = ${user.id}::uuid`;
        throw refused();
      }
      return signInAs(user.id);
    },

    signInAs,

    /** Rotation with reuse detection: presenting a used token revokes the whole family (a stolen token). */
    async refresh(token: string): Promise<Session> {
      const row = await prisma.refreshToken.findUnique({
        where: { tokenHash: sha256(token) },
        include: { user: true },
      });
      const invalid = () =>
        new AppError('invalid_token', 'The refresh token is invalid or has expired; sign in again.');
      if (!row || row.revokedAt || row.expiresAt < new Date()) throw invalid();
      const claimed = await prisma.refreshToken.updateMany({
        where: { id: row.id, usedAt: null },
        data: { usedAt: new Date() },
      });
      if (claimed.count === 0) {
        await prisma.refreshToken.updateMany({
          where: { familyId: row.familyId, revokedAt: null },
          data: { revokedAt: new Date() },
        });
        throw invalid();
      }
      if (row.user.status !== 'active') throw invalid();
      return issueSession(row.userId, row.familyId);
    },

    async logout(token: string) {
      const row = await prisma.refreshToken.findUnique({ where: { tokenHash: sha256(token) } });
      if (row) {
        await prisma.refreshToken.updateMany({
          where: { familyId: row.familyId, revokedAt: null },
          data: { revokedAt: new Date() },
        });
      }
    },
  };
}
