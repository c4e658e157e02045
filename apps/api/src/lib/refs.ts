import type { Models } from '../db/sql.ts';
import { notFound } from './errors.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `{user}` references: an id, `email:<address>` or `ext:<externalId>`. Returns null when nothing matches. */
export function userWhere(ref: string): { id: string } | { email: string } | { externalId: string } | null {
  if (ref.startsWith('email:')) return { email: ref.slice(6).trim().toLowerCase() };
  if (ref.startsWith('ext:')) return { externalId: ref.slice(4) };
  return uuid.test(ref) ? { id: ref.toLowerCase() } : null;
}

export function groupWhere(ref: string): { id: string } | { externalId: string } | null {
  if (ref.startsWith('ext:')) return { externalId: ref.slice(4) };
  return uuid.test(ref) ? { id: ref.toLowerCase() } : null;
}

export async function findUserId(db: Models<'user' | 'group'>, ref: string): Promise<string | null> {
  const where = userWhere(ref);
  if (!where) return null;
  const user = await db.user.findUnique({ where: where as never, select: { id: true } });
  return user?.id ?? null;
}

export async function findGroupId(db: Models<'user' | 'group'>, ref: string): Promise<string | null> {
  const where = groupWhere(ref);
  if (!where) return null;
  const group = await db.group.findUnique({ where: where as never, select: { id: true } });
  return group?.id ?? null;
}

export async function requireUserId(db: Models<'user' | 'group'>, ref: string) {
  const id = await findUserId(db, ref);
  if (!id) throw notFound('user_not_found', 'The user');
  return id;
}

export const isUuid = (value: string) => uuid.test(value);

/**
 * A group reference resolved for an access check that itself proves existence (groupFacts): an id is taken as is
 * (no query), only `ext:` needs a lookup. Never use it where the id is written without such a check.
 */
export async function groupIdForAccessCheck(db: Models<'user' | 'group'>, ref: string): Promise<string | null> {
  if (ref.startsWith('ext:')) return findGroupId(db, ref);
  return uuid.test(ref) ? ref.toLowerCase() : null;
}
