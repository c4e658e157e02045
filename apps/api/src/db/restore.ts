import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Env } from '../env.ts';
import { storageFromEnv } from '../lib/storage.ts';
import { startBoss } from '../plugins/jobs.ts';
import type { Manifest } from './backup.ts';
import { openDatabase } from './database.ts';
import { migrate } from './migrate.ts';

const run = promisify(execFile);
const BATCH = 2_000;

/** pg-boss tables worth moving: the queues, their jobs (pending mails, webhook deliveries…), schedules. */
const BOSS_TABLES = ['queue', 'job', 'job_dependency', 'schedule', 'subscription'];

/**
 * Restores a backup into the configured target, which must be empty: a PostgreSQL server (from either runtime: an
 * embedded backup is copied table by table, which is how a workspace moves up) or an embedded data folder (from an
 * embedded backup). Then the files go into the configured storage (local disk or S3).
 */
export async function restore(env: Env, from: string): Promise<{ tables: number; rows: number; files: number }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(from, 'manifest.json'), 'utf8')) as Manifest;
  if (manifest.format !== 'covey-backup/1') throw new Error(`${from} is not a Covey backup`);
  const dump = path.join(from, manifest.database);
  let copied = { tables: 0, rows: 0 };
  if (env.DATABASE_URL) {
    await assertEmptyServer(env.DATABASE_URL);
    if (manifest.runtime === 'postgres') {
      await run('pg_restore', ['--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', `--dbname=${env.DATABASE_URL}`, dump], { maxBuffer: 1 << 20 });
    } else {
      copied = await pgliteToServer(dump, env.DATABASE_URL);
    }
  } else {
    if (manifest.runtime !== 'pglite') throw new Error('A PostgreSQL backup restores into a PostgreSQL server: set DATABASE_URL.');
    const dir = path.join(env.dataDir, 'pglite');
    if (fs.existsSync(dir) && fs.readdirSync(dir).length) throw new Error(`${dir} is not empty: restore into an empty data folder.`);
    const db = await openDatabase({ dataDir: dir, loadDataDir: new Blob([fs.readFileSync(dump)]) });
    await db.close();
  }
  return { ...copied, files: await restoreFiles(env, path.join(from, 'files')) };
}

async function assertEmptyServer(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    if (rows[0]!.n > 0) throw new Error('The target database is not empty: restore into a new database (createdb).');
  } finally {
    await client.end();
  }
}

/**
 * An embedded backup into a PostgreSQL server: the target gets the schema from our migrations (and pg-boss its own),
 * then every table's rows, read from the loaded dump in batches and written set-based
 * (`json_populate_recordset`), with triggers and foreign keys off for the copy (session_replication_role = replica,
 * which needs a superuser or the database owner's grant): the rows are the source's, already consistent.
 */
async function pgliteToServer(dump: string, url: string) {
  const { PGlite } = await import('@electric-sql/pglite');
  const source = await PGlite.create({ loadDataDir: new Blob([fs.readFileSync(dump)]) });
  const target = await openDatabase({ url, poolSize: 2 });
  try {
    await migrate(target);
    const boss = await startBoss(target, { schedule: false, supervise: false });
    await boss.stop({ graceful: false });
  } finally {
    await target.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let tables = 0;
  let rows = 0;
  try {
    const list = await source.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
         AND (n.nspname = 'public' OR (n.nspname = 'pgboss' AND c.relname = ANY($1::text[])))
       ORDER BY n.nspname DESC, c.relname`,
      [BOSS_TABLES],
    );
    const qualified = list.rows.map((t) => `"${t.schema}"."${t.name}"`);
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(`TRUNCATE ${qualified.join(', ')}`);
    for (const [i, t] of list.rows.entries()) {
      const columns = await source.query<{ name: string }>(
        `SELECT a.attname AS name FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum`,
        [t.schema, t.name],
      );
      const cols = columns.rows.map((c) => `"${c.name}"`).join(', ');
      await source.transaction(async (tx) => {
        // A cursor: a big table is read in batches, never held whole.
        await tx.query(`DECLARE rows_out NO SCROLL CURSOR FOR SELECT to_json(x)::text AS row FROM (SELECT ${cols} FROM ${qualified[i]}) x`);
        for (;;) {
          const batch = await tx.query<{ row: string }>(`FETCH ${BATCH} FROM rows_out`);
          if (!batch.rows.length) break;
          await client.query(
            `INSERT INTO ${qualified[i]} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${qualified[i]}, $1::json)`,
            [`[${batch.rows.map((r) => r.row).join(',')}]`],
          );
          rows += batch.rows.length;
        }
        await tx.query('CLOSE rows_out');
      });
      tables += 1;
    }
    // Sequences continue where the embedded database left them.
    const sequences = await source.query<{ name: string; value: string }>(
      `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS value FROM pg_sequences WHERE last_value IS NOT NULL AND schemaname IN ('public', 'pgboss')`,
    );
    for (const s of sequences.rows) await client.query('SELECT setval($1::regclass, $2::bigint)', [s.name, s.value]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
    await source.close();
  }
  return { tables, rows };
}

/** Every file of the backup into the configured storage, streamed. */
async function restoreFiles(env: Env, dir: string): Promise<number> {
  if (!fs.existsSync(dir)) return 0;
  const storage = await storageFromEnv(env);
  let count = 0;
  try {
    const entries = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    for (const e of entries) {
      const file = path.join(e.parentPath, e.name);
      const key = path.relative(dir, file).split(path.sep).join('/');
      await storage.put(key, fs.createReadStream(file));
      count += 1;
    }
  } finally {
    await storage.close();
  }
  return count;
}
