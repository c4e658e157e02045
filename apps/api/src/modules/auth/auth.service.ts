import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Session } from '@covey/schema';
import { AppError } from '../../lib/errors.ts';
import { dummyHash, verifyPassword } from '../../lib/passwords.ts';
import { randomToken, sha256 } from '../../lib/tokens.ts';
import { toMe } from '../users/user-view.ts';

const MAX_FAILED_LOGINS = 10;
const LOCK_MINUTES = 15;

export function authService(app: FastifyInstance) {
  const prisma = app.db.prisma;
  const { ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL_DAYS } = app.env;

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
    const accessToken = app.jwt.sign({ typ: 'access', sub: user.id, role: user.role });
    return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL, user: toMe(user) };
  }

  return {
    async login(email: string, password: string): Promise<Session> {
      const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
      if (!user) {
        await verifyPassword(await dummyHash(), password);
        throw new AppError('invalid_credentials', 'The e-mail or password is incorrect.');
      }
      if (user.lockedUntil && user.lockedUntil > new Date()) {
        throw new AppError('account_locked', 'Too many failed sign-ins; try again in a few minutes.');
      }
      const ok = await verifyPassword(user.passwordHash, password);
      if (!ok || user.status !== 'active') {
        if (!ok) {
          const failed = user.failedLogins + 1;
          await prisma.user.update({
            where: { id: user.id },
            data: {
              failedLogins: failed >= MAX_FAILED_LOGINS ? 0 : failed,
              lockedUntil: failed >= MAX_FAILED_LOGINS ? new Date(Date.now() + LOCK_MINUTES * 60_000) : undefined,
            },
          });
        }
        throw new AppError('invalid_credentials', 'The e-mail or password is incorrect.');
      }
      const now = new Date();
      await prisma.user.update({
        where: { id: user.id },
        data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now, lastActivityAt: now },
      });
      app.touchActivity(user.id);
      return issueSession(user.id);
    },

    /** Rotation with reuse detection: presenting a used token revokes the whole family (a stolen token). */
    async refresh(token: string): Promise<Session> {
      const row = await prisma.refreshToken.findUnique({ where: { tokenHash: sha256(token) }, include: { user: true } });
      const invalid = () => new AppError('invalid_token', 'The refresh token is invalid or has expired; sign in again.');
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
