import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { Env } from '../env.ts';
import { storageFromEnv } from '../lib/storage.ts';
import type { Database } from './database.ts';

const run = promisify(execFile);

/**
 * A backup is a folder: `manifest.json`, the database (`database.pgdump`, pg_dump's custom format, from a PostgreSQL
 * server; `database.tar.gz`, a dump of PGlite's data directory, from the embedded database) and `files/<key>`.
 */
export type Manifest = { format: 'covey-backup/1'; runtime: 'postgres' | 'pglite'; createdAt: string; database: string; files: number; bytes: number };

export const pgliteDir = (env: Env) => path.join(env.dataDir, 'pglite');
const requestFile = (env: Env) => `${pgliteDir(env)}.backup-request`;
const lockFile = (env: Env) => `${pgliteDir(env)}.lock`;

/**
 * In the process that holds the embedded database: `pnpm db:backup` asks for a dump of it by writing the target path
 * into `pglite.backup-request` beside the data folder (a file the process watches; only who may write the data folder
 * can ask). PGlite takes the dump between two statements (it runs one at a time), so the copy is the database as of
 * one instant (crash-consistent), and the server goes on serving.
 */
export function answerBackupRequests(db: Database, env: Env, log: { info(o: object, m: string): void; error(o: object, m: string): void }) {
  if (db.kind !== 'pglite' || !db.pglite) return;
  const pglite = db.pglite;
  const request = requestFile(env);
  let busy = false;
  const answer = async () => {
    if (busy || !fs.existsSync(request)) return;
    busy = true;
    try {
      const target = fs.readFileSync(request, 'utf8').trim();
      if (!target) return;
      fs.rmSync(request, { force: true });
      const dump = await pglite.dumpDataDir('gzip');
      await fs.promises.writeFile(`${target}.tmp`, Buffer.from(await dump.arrayBuffer()));
      await fs.promises.rename(`${target}.tmp`, target);
      log.info({ target }, 'embedded database dumped for a backup');
    } catch (err) {
      log.error({ err }, 'backup dump failed');
    } finally {
      busy = false;
    }
  };
  fs.watch(path.dirname(request), (_event, name) => {
    if (name === path.basename(request)) void answer();
  }).unref();
}

/** The pid holding the embedded database, if a live process does. */
function runningServer(env: Env): number | null {
  try {
    const pid = Number(fs.readFileSync(lockFile(env), 'utf8'));
    if (!pid || pid === process.pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

async function dumpPglite(env: Env, target: string) {
  const pid = runningServer(env);
  if (pid) {
    // Written whole, then renamed into place: the server never reads half a path.
    fs.writeFileSync(`${requestFile(env)}.tmp`, target);
    fs.renameSync(`${requestFile(env)}.tmp`, requestFile(env));
    const until = Date.now() + 120_000;
    while (!fs.existsSync(target)) {
      if (Date.now() > until) {
        fs.rmSync(requestFile(env), { force: true });
        throw new Error(`The running server (pid ${pid}) did not write the dump within 2 minutes; see its log.`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return;
  }
  // Nobody runs on it: open it here (taking its lock) and dump.
  const { openDatabase } = await import('./database.ts');
  const db = await openDatabase({ dataDir: pgliteDir(env) });
  try {
    fs.writeFileSync(target, Buffer.from(await (await db.pglite!.dumpDataDir('gzip')).arrayBuffer()));
  } finally {
    await db.close();
  }
}

/** Writes a backup of the configured database and files into `out` (a new folder), while Covey keeps running. */
export async function backup(env: Env, out: string): Promise<Manifest> {
  fs.mkdirSync(out, { recursive: false });
  const runtime = env.DATABASE_URL ? 'postgres' : 'pglite';
  const database = runtime === 'postgres' ? 'database.pgdump' : 'database.tar.gz';
  if (runtime === 'postgres') {
    // One snapshot for the whole dump (pg_dump runs in a repeatable-read transaction).
    await run('pg_dump', ['--format=custom', '--no-owner', '--no-acl', `--file=${path.join(out, database)}`, env.DATABASE_URL!], { maxBuffer: 1 << 20 });
  } else {
    await dumpPglite(env, path.resolve(out, database));
  }
  // Files after the database: every file a row of the dump names was written before that row committed.
  const storage = await storageFromEnv(env);
  let files = 0;
  let bytes = 0;
  try {
    for await (const key of storage.list()) {
      const source = await storage.get(key);
      if (!source) continue;
      const file = path.join(out, 'files', key);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await pipeline(source, fs.createWriteStream(file));
      files += 1;
      bytes += fs.statSync(file).size;
    }
  } finally {
    await storage.close();
  }
  const manifest: Manifest = { format: 'covey-backup/1', runtime, createdAt: new Date().toISOString(), database, files, bytes };
  fs.writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
