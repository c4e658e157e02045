import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

/**
 * The database going away under load: the app reaches PostgreSQL through a TCP proxy that the test cuts and
 * restores. Readiness turns 503, requests fail fast with 503 problem+json and write nothing, and everything
 * recovers without a restart; no accepted write is lost or doubled. (PGlite runs in-process: server only.)
 */
const databaseUrl = process.env.DATABASE_URL;
let t: TestContext;
let admin: TestUser;
let proxy: net.Server;
let proxyPort = 0;
const sockets = new Set<net.Socket>();
let up = true;

function startProxy(port = 0) {
  proxy = net.createServer((client) => {
    if (!up) return client.destroy();
    const server = net.connect(5432, '127.0.0.1');
    for (const s of [client, server]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(server).pipe(client);
  });
  return new Promise<number>((resolve) => proxy.listen(port, '127.0.0.1', () => resolve((proxy.address() as net.AddressInfo).port)));
}

function cut() {
  up = false;
  for (const s of sockets) s.destroy();
}

describe.skipIf(!databaseUrl)('PostgreSQL unavailable', () => {
  beforeAll(async () => {
    proxyPort = await startProxy();
    t = await createTestContext({}, { rewriteUrl: (url) => Object.assign(new URL(url), { host: `127.0.0.1:${proxyPort}` }).toString() });
    admin = await t.user('admin');
  });
  afterAll(async () => {
    up = true;
    await t?.close();
    proxy?.close();
  });

  it('turns readiness to 503, fails requests fast with 503 and writes nothing, then recovers without restart', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/ready' })).statusCode).toBe(200);
    const before = await t.as(admin, { method: 'POST', url: '/api/v1/groups', payload: { name: 'Before the outage' } });
    expect(before.statusCode).toBe(201);

    cut();
    const started = Date.now();
    const ready = await t.app.inject({ method: 'GET', url: '/api/ready' });
    expect(problem(ready, 503).code).toBe('service_unavailable');
    expect(ready.headers['retry-after']).toBeDefined();
    const during = await t.as(admin, { method: 'POST', url: '/api/v1/groups', payload: { name: 'During the outage' } });
    expect(problem(during, 503).code).toBe('service_unavailable');
    expect(Date.now() - started).toBeLessThan(15_000);
    // The liveness probe still answers: the process is fine, its dependency is not.
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);

    up = true;
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      recovered = (await t.app.inject({ method: 'GET', url: '/api/ready' })).statusCode === 200;
      if (!recovered) await new Promise((r) => setTimeout(r, 200));
    }
    expect(recovered).toBe(true);
    const after = await t.as(admin, { method: 'POST', url: '/api/v1/groups', payload: { name: 'After the outage' } });
    expect(after.statusCode).toBe(201);
    const names = (await t.db.prisma.group.findMany({ select: { name: true } })).map((g) => g.name).sort();
    expect(names).toEqual(['After the outage', 'Before the outage']);
  });
});
