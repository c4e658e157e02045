import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.ts';

/**
 * A database of its own for a bench run: a fresh PostgreSQL database named `<prefix>_<time>` when DATABASE_URL is
 * set (dropped afterwards unless BENCH_KEEP is set), else an in-memory PGlite.
 */
export async function openBenchDb(prefix: string): Promise<{ db: Database; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { db: await openDatabase({ dataDir: null }), drop: async () => undefined };
  const name = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    db: await openDatabase({ url: u.toString(), poolSize: 10 }),
    drop: async () => {
      if (process.env.BENCH_KEEP) console.log(`kept database ${name}`);
      else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
