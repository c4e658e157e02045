import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureWorkspace } from '../src/db/bootstrap.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { startBoss } from '../src/plugins/jobs.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A dump of a migrated embedded database (PGlite), loaded by each test file. */
    pgliteTemplate: string | null;
    /** A migrated template database on the PostgreSQL server, when DATABASE_URL is set. */
    pgTemplate: string | null;
    databaseUrl: string | null;
  }
}

/**
 * Migrates once, then every test file starts from a copy: a PGlite data-dir dump, or a PostgreSQL
 * `CREATE DATABASE ... TEMPLATE`. Tests run against the real schema, never a mock.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `covey_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const templateUrl = withDatabase(url, template);
    const db = await openDatabase({ url: templateUrl, poolSize: 2 });
    await migrate(db);
    await ensureWorkspace(db);
    const boss = await startBoss(db);
    await boss.stop({ graceful: false });
    await db.close();
    project.provide('pgTemplate', template);
    project.provide('pgliteTemplate', null);
    project.provide('databaseUrl', url);
    return async () => {
      const stale = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'covey_t\\_${process.pid}\\_%' OR datname = $1`,
        [template],
      );
      for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
      await admin.end();
    };
  }
  const db = await openDatabase({ dataDir: null });
  await migrate(db);
  await ensureWorkspace(db);
  const boss = await startBoss(db);
  await boss.stop({ graceful: false });
  const dump = await db.pglite!.dumpDataDir('gzip');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'covey-test-')), 'template.tar.gz');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide('pgliteTemplate', file);
  project.provide('pgTemplate', null);
  project.provide('databaseUrl', null);
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

export function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
