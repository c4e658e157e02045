import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from './api-process.ts';
import { createTestContext, PASSWORD, type TestContext, type TestUser } from './helpers.ts';

/**
 * Two API processes against one PostgreSQL server: sessions and uploads work whichever process answers, and
 * webhook deliveries and digests happen exactly once. Needs the server (DATABASE_URL); PGlite is one process.
 */
const databaseUrl = process.env.DATABASE_URL;

let t: TestContext;
let owner: TestUser;
let bases: string[] = [];
let filesDir: string;
const hits: { id: string; type: string }[] = [];
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const event = JSON.parse(body) as { id: string; type: string };
    hits.push({ id: event.id, type: event.type });
    res.writeHead(204).end();
  });
});

const processes: ApiProcess[] = [];

async function startProcess(url: string) {
  const started = await startApiProcess({
    ...process.env,
    DATABASE_URL: url,
    COVEY_FILES_DIR: filesDir,
    COVEY_SEED_DEMO: '0',
    LOG_LEVEL: 'warn',
    OUTBOX_POLL_MS: '200',
    WEBHOOK_RETRY_DELAY: '1',
    // The receiver listens on 127.0.0.1.
    COVEY_WEBHOOK_ALLOW_PRIVATE: '1',
  });
  processes.push(started);
  return started;
}

const api = (base: string, token: string | null, pathname: string, init: RequestInit = {}) =>
  fetch(`${base}${pathname}`, {
    ...init,
    headers: { ...(init.body && typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
  });

describe.skipIf(!databaseUrl)('two processes on one database', () => {
  beforeAll(async () => {
    t = await createTestContext();
    owner = await t.user('owner');
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'covey-two-'));
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    bases = (await Promise.all([startProcess(t.db.url!), startProcess(t.db.url!)])).map((p) => p.base);
  }, 200_000);
  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    receiver.close();
    await t?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it('keeps a session across processes (access and refresh tokens)', async () => {
    const [a, b] = bases as [string, string];
    const session = (await (await api(a, null, '/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email: owner.email, password: PASSWORD }) })).json()) as { accessToken: string; refreshToken: string };
    expect((await api(b, session.accessToken, '/api/v1/me')).status).toBe(200);
    const refreshed = await api(b, null, '/api/v1/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: session.refreshToken }) });
    expect(refreshed.status).toBe(200);
    // The old refresh token was used on B: replaying it on A is detected as reuse.
    expect((await api(a, null, '/api/v1/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: session.refreshToken }) })).status).toBe(401);
  });

  it('takes a deactivation or a role change made on one process into account at once on the other', async () => {
    const [a, b] = bases as [string, string];
    const learner = await t.user('learner');
    // B has seen (and may cache) the learner's principal; A changes it.
    expect((await api(b, learner.token, '/api/v1/me')).status).toBe(200);
    expect((await api(b, learner.token, '/api/v1/admin/audit')).status).toBe(403);
    expect((await api(a, owner.token, `/api/v1/users/${learner.id}`, { method: 'PATCH', body: JSON.stringify({ role: 'admin' }) })).status).toBe(200);
    const settled = async (check: () => Promise<boolean>) => {
      // The database notifies B at A's commit: allow it the time to arrive, not the cache's expiry (60 s).
      for (let i = 0; i < 20 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
      return check();
    };
    expect(await settled(async () => (await api(b, learner.token, '/api/v1/admin/audit')).status === 200)).toBe(true);
    expect((await api(a, owner.token, `/api/v1/users/${learner.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await settled(async () => (await api(b, learner.token, '/api/v1/me')).status === 401)).toBe(true);
  });

  it('serves an upload made on one process from the other', async () => {
    const [a, b] = bases as [string, string];
    const token = owner.token;
    const group = (await (await api(a, token, '/api/v1/groups', { method: 'POST', body: JSON.stringify({ name: 'Shared files' }) })).json()) as { id: string };
    const form = new FormData();
    form.append('file', new Blob([await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123456' } }).png().toBuffer()], { type: 'image/png' }), 'logo.png');
    const uploaded = (await (await api(a, token, `/api/v1/groups/${group.id}/logo`, { method: 'PUT', body: form })).json()) as { logoUrl: string };
    const file = await fetch(`${b}${uploaded.logoUrl}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/webp');
  });

  it('delivers each webhook event exactly once', async () => {
    const [a, b] = bases as [string, string];
    const port = (receiver.address() as AddressInfo).port;
    expect((await api(a, owner.token, '/api/v1/webhooks', { method: 'POST', body: JSON.stringify({ url: `http://127.0.0.1:${port}/`, events: ['group.created'] }) })).status).toBe(201);
    hits.length = 0;
    await Promise.all(Array.from({ length: 20 }, (_, i) => api(i % 2 ? a : b, owner.token, '/api/v1/groups', { method: 'POST', body: JSON.stringify({ name: `Evt ${i}` }) })));
    for (let i = 0; i < 150 && hits.length < 20; i++) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1500));
    expect(hits.filter((h) => h.type === 'group.created')).toHaveLength(20);
    expect(new Set(hits.map((h) => h.id)).size).toBe(20);
  });

  it('runs the observer digest once per period, even when both processes run it at the same time', async () => {
    const [a, b] = bases as [string, string];
    const group = await t.group('Digest group');
    const observer = await t.user('learner');
    const learner = await t.user('learner');
    await t.member(group.id, observer.id, 'observer');
    await t.member(group.id, learner.id, 'learner');
    const runs = await Promise.all([a, b].map((base) => api(base, owner.token, '/api/v1/admin/digests/run', { method: 'POST' })));
    const sent = await Promise.all(runs.map(async (r) => ((await r.json()) as { sent: number }).sent));
    expect(sent.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await t.db.prisma.mailMessage.count({ where: { to: observer.email, kind: 'observer_digest' } })).toBe(1);
  });

  it('shuts down on SIGTERM within seconds, writing what it still held (activity) before closing the database', async () => {
    const { base, child } = await startProcess(t.db.url!);
    const learner = await t.user('learner');
    // The request marks the learner active; the process keeps that in memory until its next flush (15 s) or close.
    expect((await api(base, learner.token, '/api/v1/me')).status).toBe(200);
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
    const [row] = await t.db.query<{ last_activity_at: Date | null; days: number }>(
      `SELECT u.last_activity_at, (SELECT count(*)::int FROM activity_days d WHERE d.user_id = u.id) AS days FROM users u WHERE u.id = $1`,
      [learner.id],
    );
    expect(row!.last_activity_at).not.toBeNull();
    expect(row!.days).toBe(1);
  }, 200_000);
});
