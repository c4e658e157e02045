import type { Database } from '../../db/database.ts';
import type { Deps } from '../../lib/deps.ts';
import { audit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import type { Principal } from '../../lib/principal.ts';
import { isUuid } from '../../lib/refs.ts';
import { randomToken, sha256 } from '../../lib/tokens.ts';
import { authorize } from '../../policy/index.ts';

const PREFIX_LENGTH = 12;

const view = (t: {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/** SCIM tokens: shown once, stored as a SHA-256 hash with a short prefix to recognise them by. Admins only. */
export function scimTokensService(deps: Deps<'db'>) {
  const prisma = deps.db.prisma;
  const requireAdmin = (principal: Principal) => {
    authorize(principal, 'scimTokens');
  };

  return {
    async list(principal: Principal) {
      requireAdmin(principal);
      const rows = await prisma.scimToken.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      return { items: rows.map(view), nextCursor: null };
    },

    async create(principal: Principal, name: string) {
      requireAdmin(principal);
      const token = `scim_${randomToken(32)}`;
      const row = await prisma.$transaction(async (tx) => {
        const created = await tx.scimToken.create({
          data: { name, prefix: token.slice(0, PREFIX_LENGTH), tokenHash: sha256(token), createdById: principal.id },
        });
        await audit(tx, principal, 'scim_token.create', { type: 'scim_token', id: created.id });
        return created;
      });
      return { ...view(row), token };
    },

    async revoke(principal: Principal, id: string) {
      requireAdmin(principal);
      const existing = isUuid(id) ? await prisma.scimToken.findUnique({ where: { id } }) : null;
      if (!existing) throw notFound('not_found', 'The SCIM token');
      if (existing.revokedAt) return;
      await prisma.$transaction(async (tx) => {
        await tx.scimToken.update({ where: { id }, data: { revokedAt: new Date() } });
        await audit(tx, principal, 'scim_token.revoke', { type: 'scim_token', id });
      });
    },
  };
}

/** The SCIM token a bearer value is, unless unknown or revoked; its last use is recorded (at most once a minute). */
export async function scimTokenOf(db: Database, bearer: string) {
  const prisma = db.prisma;
  const token = await prisma.scimToken.findUnique({
    where: { tokenHash: sha256(bearer) },
    select: { id: true, prefix: true, revokedAt: true, lastUsedAt: true },
  });
  if (!token || token.revokedAt) return null;
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
    await prisma.scimToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
  }
  return token;
}
