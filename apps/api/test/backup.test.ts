import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { DEMO_PASSWORD } from '../src/db/seed.ts';
import { loadEnv } from '../src/env.ts';
import { withDatabase } from './global-setup.ts';
import { startApiProcess } from './api-process.ts';
import { startS3Server, type S3Server } from './s3-server.ts';

const run = promisify(execFile);
const apiDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = path.join(apiDir, 'node_modules/.bin/tsx');
const databaseUrl = inject('databaseUrl');

/**
 * An embedded workspace (the demo: people, groups, programs, posts, progress; plus attachments, a shared document and
 * a logo) is backed up while its server runs, restored into a PostgreSQL database with its files in an S3 server,
 * and everything is there: every row of every table, every file byte for byte, sign-in and enrollments.
 */
describe.skipIf(!databaseUrl)('backup while running, and the move up to PostgreSQL and S3', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'covey-backup-test-'));
  const dataDir = path.join(work, 'data');
  const backupDir = path.join(work, 'backup');
  const targetDb = `covey_restore_${process.pid}`;
  const againDb = `covey_restore_again_${process.pid}`;
  let server: ChildProcess;
  let base: string;
  let s3: S3Server;
  let target: Database;
  let app: FastifyInstance;
  const uploaded: { sha256: string; url: string }[] = [];
  const env = { PATH: process.env.PATH, COVEY_DATA_DIR: dataDir, COVEY_SEED_DEMO: '1', LOG_LEVEL: 'warn', NODE_NO_WARNINGS: '1' };

  const api = async (method: string, url: string, token?: string, body?: unknown, form?: FormData) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: form ?? (body !== undefined ? JSON.stringify(body) : undefined),
    });
    return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> & { id: string; accessToken: string } };
  };
  const signIn = async (email: string) => (await api('POST', '/api/v1/auth/login', undefined, { email, password: DEMO_PASSWORD })).json.accessToken;
  const pdf = () => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(40_000)]);
  const form = (data: Buffer, name: string, type: string, fields: Record<string, string> = {}) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    f.append('file', new Blob([new Uint8Array(data)], { type }), name);
    return f;
  };

  beforeAll(async () => {
    const started = await startApiProcess(env, { deadlineMs: 240_000 });
    server = started.child;
    base = started.base;
    s3 = await startS3Server('covey-moved');
  }, 300_000);

  afterAll(async () => {
    server?.kill('SIGTERM');
    await app?.close();
    await target?.close();
    await s3?.close();
    if (databaseUrl) {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${targetDb} WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS ${againDb} WITH (FORCE)`);
      await admin.end();
    }
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('backs up the running embedded workspace, files included, and the server goes on', async () => {
    const learner = await signIn('learner1@demo.covey.test');
    const owner = await signIn('owner@demo.covey.test');
    for (let i = 0; i < 3; i += 1) {
      const data = pdf();
      const up = await api('POST', '/api/v1/attachments', learner, undefined, form(data, `notes${i}.pdf`, 'application/pdf'));
      expect(up.status).toBe(201);
      const post = await api('POST', '/api/v1/feed', learner, { body: `With attachment ${i}`, attachmentIds: [up.json.id] });
      expect(post.status).toBe(201);
      uploaded.push({ sha256: createHash('sha256').update(data).digest('hex'), url: `/api/v1/posts/${post.json.id}/attachments/${up.json.id}` });
    }
    const me = (await api('GET', '/api/v1/me', learner)).json;
    const doc = pdf();
    const shared = await api('POST', `/api/v1/users/${me.id}/documents`, owner, undefined, form(doc, 'contract.pdf', 'application/pdf', { title: 'Contract' }));
    expect(shared.status).toBe(201);
    uploaded.push({ sha256: createHash('sha256').update(doc).digest('hex'), url: String(shared.json.url) });

    await run(tsx, ['src/cli/backup.ts', backupDir], { cwd: apiDir, env });
    const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as { runtime: string; files: number };
    expect(manifest.runtime).toBe('pglite');
    expect(manifest.files).toBeGreaterThanOrEqual(4);
    // The server kept its database and still answers, and what it writes now is after the backup.
    expect((await api('POST', '/api/v1/feed', learner, { body: 'Written after the backup' })).status).toBe(201);
  }, 240_000);

  it('restores into an empty PostgreSQL database with the files in S3: every row and every file', async () => {
    const admin = new pg.Client({ connectionString: databaseUrl! });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${targetDb}`);
    await admin.end();
    const url = withDatabase(databaseUrl!, targetDb);
    const targetEnv = { ...env, DATABASE_URL: url, ...s3.env, COVEY_S3_BUCKET: 'covey-moved' };
    const { stdout } = await run(tsx, ['src/cli/restore.ts', backupDir], { cwd: apiDir, env: targetEnv });
    expect(stdout).toMatch(/Restored into the PostgreSQL server/);
    // A second restore into the same (now full) database is refused.
    await expect(run(tsx, ['src/cli/restore.ts', backupDir], { cwd: apiDir, env: targetEnv })).rejects.toThrow(/not empty/);

    const { PGlite } = await import('@electric-sql/pglite');
    const source = await PGlite.create({ loadDataDir: new Blob([fs.readFileSync(path.join(backupDir, 'database.tar.gz'))]) });
    target = await openDatabase({ url, poolSize: 2 });
    const tables = (await source.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.name);
    expect(tables.length).toBeGreaterThan(20);
    for (const table of tables) {
      // Every row, compared as text: same count and same content in the same order of primary key columns.
      const digest = `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${table}" x`;
      const [a] = (await source.query<{ n: number; h: string }>(digest)).rows;
      const [b] = await target.query<{ n: number; h: string }>(digest);
      expect({ table, ...b }).toEqual({ table, ...a });
    }
    const posts = await target.query<{ n: number }>(`SELECT count(*)::int AS n FROM posts WHERE body = 'Written after the backup'`);
    expect(posts[0]!.n).toBe(0);
    await source.close();

    app = await buildApp({ env: loadEnv({ ...targetEnv, NODE_ENV: 'test' }), db: target, jobs: false });
    await app.ready();
    expect(app.storage.kind).toBe('s3');
    const keys = await target.query<{ storage_key: string; sha256: string }>(`SELECT storage_key, sha256 FROM files`);
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const k of keys) {
      const stream = await app.storage.get(k.storage_key);
      expect(stream, k.storage_key).not.toBeNull();
      const hash = createHash('sha256');
      for await (const chunk of stream!) hash.update(chunk as Buffer);
      expect(hash.digest('hex')).toBe(k.sha256);
    }
  }, 240_000);

  it('signs in on the moved workspace and sees the enrollments and the files', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'learner1@demo.covey.test', password: DEMO_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const token = login.json<{ accessToken: string }>().accessToken;
    const programs = await app.inject({ method: 'GET', url: '/api/v1/me/programs', headers: { authorization: `Bearer ${token}` } });
    expect(programs.statusCode).toBe(200);
    const items = programs.json<{ items: unknown[] }>().items;
    const [enrolled] = await target.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = 'learner1@demo.covey.test' AND e.status <> 'withdrawn'`,
    );
    expect(enrolled!.n).toBeGreaterThan(0);
    expect(items).toHaveLength(enrolled!.n);
    for (const file of uploaded) {
      const res = await app.inject({ method: 'GET', url: file.url, headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode, file.url).toBe(200);
      expect(createHash('sha256').update(res.rawPayload).digest('hex')).toBe(file.sha256);
    }
  });

  it('backs up the PostgreSQL workspace (pg_dump) with its files from S3, and restores it into another database, files on disk', async () => {
    const url = withDatabase(databaseUrl!, targetDb);
    const pgBackup = path.join(work, 'pg-backup');
    await run(tsx, ['src/cli/backup.ts', pgBackup], { cwd: apiDir, env: { ...env, DATABASE_URL: url, ...s3.env, COVEY_S3_BUCKET: 'covey-moved' } });
    const manifest = JSON.parse(fs.readFileSync(path.join(pgBackup, 'manifest.json'), 'utf8')) as { runtime: string; database: string; files: number };
    expect(manifest).toMatchObject({ runtime: 'postgres', database: 'database.pgdump' });

    const admin = new pg.Client({ connectionString: databaseUrl! });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${againDb}`);
    await admin.end();
    const again = withDatabase(databaseUrl!, againDb);
    const filesDir = path.join(work, 'files-again');
    await run(tsx, ['src/cli/restore.ts', pgBackup], { cwd: apiDir, env: { ...env, DATABASE_URL: again, COVEY_FILES_DIR: filesDir } });
    const copy = await openDatabase({ url: again, poolSize: 1 });
    try {
      // Tables the signed-in app above does not touch any more (it writes users' activity in batches).
      for (const table of ['groups', 'memberships', 'programs', 'enrollments', 'posts', 'files', 'documents']) {
        const digest = `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${table}" x`;
        expect({ table, ...(await copy.query(digest))[0] }).toEqual({ table, ...(await target.query(digest))[0] });
      }
      const files = await copy.query<{ storage_key: string; sha256: string }>(`SELECT storage_key, sha256 FROM files`);
      expect(files.length).toBeGreaterThan(0);
      expect(files.length).toBeLessThanOrEqual(manifest.files);
      for (const f of files) expect(createHash('sha256').update(fs.readFileSync(path.join(filesDir, f.storage_key))).digest('hex')).toBe(f.sha256);
    } finally {
      await copy.close();
    }
  }, 240_000);
});
