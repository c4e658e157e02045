import { randomBytes } from 'node:crypto';
import type { Env } from '../env.ts';
import { hashPassword } from '../lib/passwords.ts';
import type { Database } from './database.ts';

/** The single workspace row (with the generated JWT secret when none is configured). */
export async function ensureWorkspace(db: Database, name = 'Covey') {
  // ON CONFLICT: several processes may start at once on one database.
  await db.prisma.$executeRaw`
    INSERT INTO workspace (id, name, jwt_secret, updated_at)
    VALUES (1, ${name}, ${randomBytes(48).toString('base64url')}, now())
    ON CONFLICT (id) DO NOTHING`;
}

/** COVEY_OWNER_EMAIL + COVEY_OWNER_PASSWORD create the first owner when nobody has that e-mail yet. */
export async function bootstrapOwner(db: Database, env: Env): Promise<boolean> {
  if (!env.COVEY_OWNER_EMAIL || !env.COVEY_OWNER_PASSWORD) return false;
  const email = env.COVEY_OWNER_EMAIL.toLowerCase();
  const existing = await db.prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) return false;
  const passwordHash = await hashPassword(env.COVEY_OWNER_PASSWORD);
  const created = await db.prisma.$executeRaw`
    INSERT INTO users (email, first_name, last_name, role, password_hash, updated_at)
    VALUES (${email}, 'Workspace', 'Owner', 'owner', ${passwordHash}, now())
    ON CONFLICT (email) DO NOTHING`;
  return created > 0;
}
