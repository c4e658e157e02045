import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { bootstrapOwner, ensureWorkspace } from './db/bootstrap.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { DEMO_PASSWORD, seedDemo } from './db/seed.ts';
import type { Env } from './env.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export function defaultWebDist(env: Env): string | null {
  if (env.COVEY_WEB_DIST) return path.resolve(env.COVEY_WEB_DIST);
  for (const candidate of [path.resolve(here, '../../web/dist'), path.resolve(here, '../../../apps/web/dist')]) {
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

export async function openFromEnv(env: Env): Promise<Database> {
  return env.DATABASE_URL
    ? openDatabase({ url: env.DATABASE_URL, parallelWorkers: env.DB_PARALLEL_WORKERS })
    : openDatabase({ dataDir: path.join(env.dataDir, 'pglite') });
}

/** Everything `pnpm start` does: migrate, bootstrap, seed the demo when asked, serve API + SPA on one port. */
export async function startServer(env: Env) {
  const db = await openFromEnv(env);
  const { applied } = await migrate(db);
  await ensureWorkspace(db);
  const ownerCreated = await bootstrapOwner(db, env);
  const seedDemoWanted = env.COVEY_SEED_DEMO ? env.COVEY_SEED_DEMO === '1' : db.kind === 'pglite';
  const demo = seedDemoWanted ? await seedDemo(db) : null;
  const app = await buildApp({
    env,
    db,
    logger: { level: env.LOG_LEVEL },
    webDist: defaultWebDist(env),
    closeDb: true,
  });
  const address = await app.listen({ port: env.PORT, host: env.HOST });
  const url = `http://localhost:${new URL(address).port}`;
  const lines = [
    '',
    `  Covey is running at ${url}`,
    `  API reference: ${url}/api/docs`,
    `  Database: ${db.kind === 'pglite' ? `embedded (${path.join(env.dataDir, 'pglite')})` : 'PostgreSQL server'}`,
    applied.length ? `  Migrations applied: ${applied.join(', ')}` : '',
    ownerCreated ? `  Owner account created: ${env.COVEY_OWNER_EMAIL}` : '',
    demo ? `  Demo workspace seeded. Sign in with password "${DEMO_PASSWORD}" as:` : '',
    ...(demo ?? []).map((d) => `    ${d.email.padEnd(34)} ${d.role}`),
    !demo && db.kind === 'pglite' ? `  Demo logins: owner@demo.covey.test, learner1@demo.covey.test (password "${DEMO_PASSWORD}")` : '',
    '',
  ].filter((l, i, all) => l !== '' || i === 0 || i === all.length - 1);
  console.log(lines.join('\n'));
  return { app, db, url };
}
