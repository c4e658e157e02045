import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { createHash } from 'node:crypto';
import { PrismaClient, type Prisma } from '../generated/prisma/client.ts';
import { isoTimestamp, isoTimestampTypes } from './timestamps.ts';

/**
 * One schema, two runtimes: a PostgreSQL server when a URL is given, else an embedded PGlite database
 * persisted in a folder (or in memory). Both expose the same Prisma client and a raw `exec` for migrations.
 */
export type Database = {
  kind: 'postgres' | 'pglite';
  prisma: PrismaClient;
  /** Runs a parameterless SQL script through the simple protocol (several statements allowed). */
  exec(sql: string): Promise<void>;
  /** Parameterized query outside Prisma (migrations, health checks). */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * A read on the hot path, outside Prisma: on the server a named prepared statement (parsed and planned once per
   * connection, then executed with one round trip), on PGlite a plain parameterized query. Its `timestamptz` values
   * come as the API writes them (ISO 8601 text, db/timestamps.ts), not as Dates.
   */
  prepared<T>(sql: Pick<Prisma.Sql, 'text' | 'values'>): Promise<T[]>;
  /**
   * A long read in batches of `size` rows through a server-side cursor (one connection, a read-only transaction that
   * ends with the last batch or when the consumer stops): the statement runs once, however many batches. Only on the
   * server: PGlite is one session, where a transaction held open would take in every other statement (null there).
   */
  batches: (<T>(sql: Prisma.Sql, size: number) => AsyncGenerator<T[]>) | null;
  /**
   * LISTEN on a channel. `onState(true)` once notifications flow; `onState(false)` when they may be missed (the
   * connection dropped: it reconnects every second). Returns the function that stops listening.
   */
  listen(channel: string, onMessage: (payload: string) => void, onState: (live: boolean) => void): Promise<() => Promise<void>>;
  /** Runs fn on one connection (session-level locks need it). */
  session<T>(fn: (s: SqlSession) => Promise<T>): Promise<T>;
  pglite?: PGlite;
  url?: string;
  close(): Promise<void>;
};

export type SqlSession = Pick<Database, 'exec' | 'query'>;

export type DatabaseOptions =
  | { url: string; poolSize?: number; parallelWorkers?: number }
  | { dataDir: string | null; loadDataDir?: Blob };

/** Fan-out transactions (enrolling 100,000 learners) outlive Prisma's 5 s default; a stuck one still ends. */
const transactionOptions = { timeout: 120_000, maxWait: 15_000 };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return 'url' in options
    ? openPostgres(options.url, options.poolSize, options.parallelWorkers)
    : openPglite(options.dataDir, options.loadDataDir);
}

/**
 * pg-pool `onConnect` hook: the API's session settings (pg-pool awaits the hook before the connection's first use; its
 * type says void).
 * - No JIT compilation. The planner cannot size recursive walks up the group tree, prices fan-out statements as huge,
 *   and PostgreSQL then spends ~350 ms compiling each of them; a digest run is 25% faster without it.
 * - `parallelWorkers` parallel workers per statement at most (DB_PARALLEL_WORKERS, 0 by default). A worker is a new
 *   server process that loads its caches for each statement: on the 2-core bench machine starting one cost ~27 ms, and
 *   the group statistics of a 10,000-learner subtree took 95-150 ms with 2 workers against 18 ms without. The API's
 *   statements are index-bound and run side by side; a server with cores to spare may allow some.
 */
export const sessionSettings = (parallelWorkers = 0) =>
  ((client: pg.ClientBase) =>
    client.query(`SET jit = off; SET max_parallel_workers_per_gather = ${Math.trunc(parallelWorkers)}`)) as (
    client: pg.ClientBase,
  ) => void;

/** Names of the prepared statements by text (a hot statement has a handful of texts). */
const statementNames = new Map<string, string>();

async function openPostgres(url: string, poolSize = 10, parallelWorkers = 0): Promise<Database> {
  // A short connect timeout: when the server is gone, requests fail fast (503) instead of queueing.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 3_000,
    // Connections stay open once made: a new server process loads its catalog caches on its first statements (here
    // ~50 ms more for a statistics read), and with pg-pool's default 10 s idle timeout a page read every 10 s or
    // more always met a new one (the group statistics: p50 96 ms after 11 s idle, 45 ms warm).
    idleTimeoutMillis: 0,
    onConnect: sessionSettings(parallelWorkers),
  });
  // A dropped connection must not crash the process; the next query reports the error instead.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions });
  return {
    kind: 'postgres',
    prisma,
    url,
    async exec(sql) {
      await pool.query(sql);
    },
    async query(sql, params) {
      return (await pool.query(sql, params)).rows as never;
    },
    async prepared(sql) {
      let name = statementNames.get(sql.text);
      if (!name) {
        name = `covey_${createHash('sha1').update(sql.text).digest('base64url')}`;
        if (statementNames.size < 1_000) statementNames.set(sql.text, name);
      }
      return (await pool.query({ name, text: sql.text, values: sql.values, types: isoTimestampTypes })).rows as never;
    },
    batches: async function* <T>(sql: Prisma.Sql, size: number) {
      const client = await pool.connect();
      let open = false;
      let broken = false;
      try {
        await client.query('BEGIN READ ONLY');
        open = true;
        await client.query(`DECLARE covey_batches NO SCROLL CURSOR FOR ${sql.text}`, sql.values);
        for (;;) {
          const { rows } = await client.query(`FETCH ${Math.trunc(size)} FROM covey_batches`);
          if (rows.length) yield rows as T[];
          if (rows.length < size) break;
        }
        await client.query('COMMIT');
        open = false;
      } catch (error) {
        broken = true;
        throw error;
      } finally {
        // Stopped early (the consumer went away) or failed: the transaction and its cursor end here.
        if (open) await client.query('ROLLBACK').catch(() => (broken = true));
        client.release(broken);
      }
    },
    listen: (channel, onMessage, onState) => listenOnServer(url, channel, onMessage, onState),
    async session(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async (sql, params) => (await client.query(sql, params)).rows as never,
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string | null, loadDataDir?: Blob): Promise<Database> {
  let release = () => undefined as void;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    release = lockFolder(dataDir);
  }
  // The embedded engine loads only when it is used: a server deployment never pays for it.
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({ dataDir: dataDir ?? undefined, loadDataDir });
  } catch (error) {
    release();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite), transactionOptions });
  const db: Database = {
    kind: 'pglite',
    prisma,
    pglite,
    async exec(sql) {
      await pglite.exec(sql);
    },
    async query(sql, params) {
      return (await pglite.query(sql, params)).rows as never;
    },
    async prepared(sql) {
      return (await pglite.query(sql.text, sql.values, { parsers: { [pg.types.builtins.TIMESTAMPTZ]: isoTimestamp } })).rows as never;
    },
    batches: null,
    async listen(channel, onMessage, onState) {
      const unlisten = await pglite.listen(channel, onMessage);
      onState(true);
      return async () => {
        onState(false);
        await unlisten();
      };
    },
    session: (fn) => fn(db),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      release();
    },
  };
  return db;
}

/** A dedicated connection that LISTENs, reconnecting (and saying so) whenever it drops. */
async function listenOnServer(
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  onState: (live: boolean) => void,
): Promise<() => Promise<void>> {
  let current: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const retry = () => {
    if (!stopped) timer = setTimeout(() => void connect(), 1_000).unref();
  };
  const connect = async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    client.on('error', () => undefined);
    client.on('notification', (n) => {
      if (n.channel === channel) onMessage(n.payload ?? '');
    });
    client.on('end', () => {
      if (current !== client) return;
      current = null;
      onState(false);
      retry();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${channel}"`);
    } catch {
      void client.end().catch(() => undefined);
      retry();
      return;
    }
    if (stopped) return void (await client.end().catch(() => undefined));
    current = client;
    onState(true);
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const client = current;
    current = null;
    onState(false);
    await client?.end().catch(() => undefined);
  };
}

/** PGlite has no cross-process locking: two processes on one folder corrupt it. One process per folder. */
function lockFolder(dataDir: string): () => void {
  const lock = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    const pid = Number(fs.readFileSync(lock, 'utf8'));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${pid}. Stop it first, or set DATABASE_URL to a PostgreSQL server to run several processes.`,
      );
    }
    fs.writeFileSync(lock, String(process.pid));
  }
  return () => fs.rmSync(lock, { force: true });
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
