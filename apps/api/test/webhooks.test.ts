import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../src/modules/webhooks/delivery.ts';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

/** A real HTTP receiver on a loopback port; `failNext` makes it answer 500 for that many requests. */
type Hit = { headers: http.IncomingHttpHeaders; body: string };
let hits: Hit[] = [];
let failNext = 0;
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    hits.push({ headers: req.headers, body });
    if (failNext > 0) {
      failNext -= 1;
      res.writeHead(500).end('nope');
    } else res.writeHead(204).end();
  });
});
let url: string;

let t: TestContext;
let admin: TestUser;
beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  // The receiver listens on 127.0.0.1: private targets allowed here (see contract/webhook-targets.test.ts).
  t = await createTestContext({ COVEY_TEST_JOBS: '1', OUTBOX_POLL_MS: '100', WEBHOOK_RETRY_DELAY: '1', COVEY_WEBHOOK_ALLOW_PRIVATE: '1' });
  admin = await t.user('admin');
});
afterAll(async () => {
  await t?.close();
  await new Promise((r) => receiver.close(r));
});

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('webhooks', () => {
  let hookId: string;
  let secret: string;

  it('delivers signed events the endpoint subscribed to', async () => {
    const created = await t.as(admin, { method: 'POST', url: '/api/v1/webhooks', payload: { url, events: ['group.created', 'user.created'] } });
    expect(created.statusCode).toBe(201);
    ({ id: hookId, secret } = created.json());
    expect(secret).toMatch(/^whsec_/);
    // Encrypted at rest: the database never holds the signing key in clear.
    const stored = await t.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: hookId } });
    expect(stored.secret).toMatch(/^v1:/);
    expect(stored.secret).not.toContain(secret.slice(6));
    hits = [];
    const group = await t.as(admin, { method: 'POST', url: '/api/v1/groups', payload: { name: 'Hooked' } });
    await t.as(admin, { method: 'PUT', url: `/api/v1/groups/${group.json().id}/members/${admin.id}`, payload: { roles: ['observer'] } });
    const hit = await until('a delivery', () => hits.find((h) => h.headers['x-covey-event'] === 'group.created'));
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({ type: 'group.created', data: { groupId: group.json().id, name: 'Hooked' } });
    // The signature verifies: HMAC-SHA256 over "<timestamp>.<body>" with the endpoint's secret.
    const expected = createHmac('sha256', secret).update(`${String(hit.headers["x-timestamp"])}.${hit.body}`).digest('hex');
    expect(hit.headers['x-signature']).toBe(`sha256=${expected}`);
    // Not subscribed to member events.
    await new Promise((r) => setTimeout(r, 500));
    expect(hits.some((h) => h.headers['x-covey-event'] === 'group.member.added')).toBe(false);
  });

  it('retries after receiver errors, logs status and latency, and replays on demand', async () => {
    failNext = 2;
    hits = [];
    await t.as(admin, { method: 'POST', url: '/api/v1/groups', payload: { name: 'Retried' } });
    await until('success after two failures', async () => {
      const log = await t.as(admin, { method: 'GET', url: `/api/v1/webhooks/${hookId}/deliveries` });
      return log.json().items.find((d: { status: string; attempts: number }) => d.status === 'succeeded' && d.attempts === 3);
    });
    expect(hits.filter((h) => JSON.parse(h.body).data.name === 'Retried')).toHaveLength(3);
    const log = (await t.as(admin, { method: 'GET', url: `/api/v1/webhooks/${hookId}/deliveries` })).json().items;
    const retried = log.find((d: { attempts: number }) => d.attempts === 3);
    expect(retried).toMatchObject({ eventType: 'group.created', responseStatus: 204, lastError: null });
    expect(retried.latencyMs).toBeGreaterThanOrEqual(0);

    hits = [];
    const replay = await t.as(admin, { method: 'POST', url: `/api/v1/webhooks/${hookId}/deliveries/${retried.id}/replay` });
    expect(replay.statusCode).toBe(202);
    const again = await until('the replay', () => hits.find((h) => JSON.parse(h.body).data.name === 'Retried'));
    expect(JSON.parse(again.body).id).toBe(retried.eventId);
  });

  it('keeps events committed before a crash: the next dispatch delivers them', async () => {
    // An event in the outbox that no process has dispatched yet (as after a crash between commit and delivery).
    const row = await t.db.prisma.outboxEvent.create({ data: { type: 'user.created', payload: { userId: admin.id } } });
    hits = [];
    await dispatchOutbox(t.app);
    const hit = await until('the stranded event', () => hits.find((h) => JSON.parse(h.body).id === row.id));
    expect(hit.headers['x-covey-event']).toBe('user.created');
    expect(await t.db.prisma.webhookDelivery.count({ where: { eventId: row.id } })).toBe(1);
    // Dispatching again sends nothing twice.
    await dispatchOutbox(t.app);
    expect(await t.db.prisma.webhookDelivery.count({ where: { eventId: row.id } })).toBe(1);
  });

  it('claims a backlog batch by batch, each event once, and says when a batch was full', async () => {
    // An app without workers: no background dispatcher competes for these events.
    const quiet = await createTestContext();
    try {
      await dispatchOutbox(quiet.app, 10_000); // whatever setting up left
      await quiet.db.query(`INSERT INTO outbox_events (type, payload, created_at)
        SELECT 'program.assigned', '{}'::jsonb, now() - (i || ' seconds')::interval FROM generate_series(1, 7) i`);
      expect(await dispatchOutbox(quiet.app, 3)).toBe(3);
      expect(await dispatchOutbox(quiet.app, 3)).toBe(3);
      expect(await dispatchOutbox(quiet.app, 3)).toBe(1); // not full: the dispatcher stops draining
      expect(await dispatchOutbox(quiet.app, 3)).toBe(0);
    } finally {
      await quiet.close();
    }
  });

  it('disables an endpoint failing for a day and tells the admins', async () => {
    const bad = await t.as(admin, { method: 'POST', url: '/api/v1/webhooks', payload: { url: 'http://127.0.0.1:9/down', events: ['*'] } });
    await t.db.prisma.webhookEndpoint.update({ where: { id: bad.json().id }, data: { failingSince: new Date(Date.now() - 25 * 3_600_000) } });
    await t.as(admin, { method: 'POST', url: '/api/v1/groups', payload: { name: 'Triggers the bad one' } });
    await until('disabled', async () => (await t.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: bad.json().id } })).active === false);
    expect(await t.db.prisma.notification.count({ where: { userId: admin.id, type: 'webhook_disabled' } })).toBe(1);
    expect(await t.db.prisma.mailMessage.count({ where: { to: admin.email, kind: 'webhook_disabled' } })).toBe(1);
    const list = await t.as(admin, { method: 'GET', url: '/api/v1/me/notifications' });
    expect(list.json().items[0]).toMatchObject({ type: 'webhook_disabled' });
  });

  it('validates input and permissions', async () => {
    problem(await t.as(admin, { method: 'POST', url: '/api/v1/webhooks', payload: { url: 'ftp://x', events: ['group.created'] } }), 400);
    problem(await t.as(admin, { method: 'POST', url: '/api/v1/webhooks', payload: { url, events: ['no.such.event'] } }), 400);
    const learner = await t.user('learner');
    problem(await t.as(learner, { method: 'GET', url: '/api/v1/webhooks' }), 403);
  });
});
