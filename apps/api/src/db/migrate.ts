import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, SqlSession } from './database.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** prisma/migrations, found from the source tree or from the bundled dist/. */
export function migrationsDir(): string {
  for (const candidate of [path.resolve(here, '../../../../prisma/migrations'), path.resolve(here, '../../../prisma/migrations')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('prisma/migrations not found');
}

// Prisma Migrate's own bookkeeping table and lock, so that `prisma migrate status/deploy` agree with us.
const PRISMA_MIGRATE_LOCK = 72707369;
const createTable = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export type MigrationResult = { applied: string[] };

/** Applies pending migrations in name order, each in its own transaction. */
export async function migrate(database: Database, dir = migrationsDir()): Promise<MigrationResult> {
  return database.session((session) => applyMigrations(session, database.kind === 'postgres', dir));
}

async function applyMigrations(db: SqlSession, usesLock: boolean, dir: string): Promise<MigrationResult> {
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
  if (usesLock) await db.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
  try {
    await db.exec(createTable);
    const done = new Map(
      (
        await db.query<{ migration_name: string; checksum: string }>(
          'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
        )
      ).map((r) => [r.migration_name, r.checksum]),
    );
    const applied: string[] = [];
    for (const name of names) {
      const bytes = fs.readFileSync(path.join(dir, name, 'migration.sql'));
      const checksum = createHash('sha256').update(bytes).digest('hex');
      const known = done.get(name);
      if (known) {
        if (known !== checksum) throw new Error(`Migration ${name} was modified after it was applied.`);
        continue;
      }
      const id = randomUUID();
      const sql = bytes.toString('utf8');
      // One transaction: a failing migration leaves nothing behind.
      await db.exec(
        `BEGIN;\n${sql}\n;INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('${id}', '${checksum}', now(), '${name.replace(/'/g, "''")}', 1);\nCOMMIT;`,
      ).catch(async (error: unknown) => {
        await db.exec('ROLLBACK').catch(() => undefined);
        throw new Error(`Migration ${name} failed: ${(error as Error).message}`);
      });
      applied.push(name);
    }
    return { applied };
  } finally {
    if (usesLock) await db.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]);
  }
}
