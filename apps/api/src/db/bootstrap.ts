import { randomBytes } from 'node:crypto';
import type { Env } from '../env.ts';
import { hashPassword } from '../lib/passwords.ts';
import type { Database } from './database.ts';

/** The single workspace row (with the generated JWT secret when none is configured). */
export async function ensureWorkspace(db: Database, name = 'Covey') {
  await db.prisma.workspace.upsert({
    where: { id: 1 },
    create: { id: 1, name, jwtSecret: randomBytes(48).toString('base64url') },
    update: {},
  });
}

/** COVEY_OWNER_EMAIL + COVEY_OWNER_PASSWORD create the first owner when nobody has that e-mail yet. */
export async function bootstrapOwner(db: Database, env: Env): Promise<boolean> {
  if (!env.COVEY_OWNER_EMAIL || !env.COVEY_OWNER_PASSWORD) return false;
  const email = env.COVEY_OWNER_EMAIL.toLowerCase();
  const existing = await db.prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) return false;
  await db.prisma.user.create({
    data: {
      email,
      firstName: 'Workspace',
      lastName: 'Owner',
      role: 'owner',
      passwordHash: await hashPassword(env.COVEY_OWNER_PASSWORD),
    },
  });
  return true;
}
