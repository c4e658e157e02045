import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/database.ts';
import type { Env } from '../env.ts';
import { secretBox, type SecretBox } from '../lib/secret-box.ts';
import { storageFromEnv, type Storage } from '../lib/storage.ts';

declare module 'fastify' {
  interface FastifyInstance {
    env: Env;
    db: Database;
    storage: Storage;
    /** Encrypts secrets the app must read back (webhook signing keys). */
    secrets: SecretBox;
  }
}

/** What every module builds on: the settings, the database, file storage and the secret box. */
export const corePlugin = fp(
  async (app: FastifyInstance, opts: { env: Env; db: Database; closeDb?: boolean }) => {
    const { env, db } = opts;
    app.decorate('env', env);
    app.decorate('db', db);
    app.decorate('storage', await storageFromEnv(env));
    app.decorate('secrets', secretBox(env.COVEY_SECRET_KEY ?? (await tokenSecret(env, db))));
    // onClose hooks run in reverse order of registration: these, registered first, run last.
    if (opts.closeDb) app.addHook('onClose', async () => db.close());
    app.addHook('onClose', async () => app.storage.close());
  },
  { name: 'covey-db' },
);

/** The key access tokens are signed with: JWT_SECRET, else the workspace's random one (made by the bootstrap). */
export async function tokenSecret(env: Env, db: Database): Promise<string> {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  const workspace = await db.prisma.workspace.findUnique({ where: { id: 1 }, select: { jwtSecret: true } });
  if (!workspace) throw new Error('The workspace is not initialised: run the migrations and bootstrap first.');
  return workspace.jwtSecret;
}
