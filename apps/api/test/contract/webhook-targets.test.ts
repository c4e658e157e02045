import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPublicAddress, postWebhook, TargetRefused, type LookupAll } from '../../src/lib/webhook-target.ts';
import { deliver } from '../../src/modules/webhooks/delivery.ts';
import { createTestContext, problem, type TestContext, type TestUser } from '../helpers.ts';

/**
 * SSRF: webhooks reach public addresses only, in every notation, when saved and at delivery (after DNS, on the
 * checked address), without following redirects; the delivery log tells nothing of a refused target.
 * Nothing here connects anywhere but 127.0.0.1.
 */
const INTERNAL = [
  'http://127.0.0.1/',
  'http://127.1/',
  'http://2130706433/',
  'http://0x7f000001/',
  'http://0177.0.0.1/',
  'http://0x7f.1/',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://[0:0:0:0:0:ffff:127.0.0.1]/',
  'http://[64:ff9b::7f00:1]/',
  'http://[2002:7f00:1::]/',
  'http://[fe80::1]/',
  'http://[fd00:ec2::254]/',
  'http://[::]/',
  'http://[ff02::1]/',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.1/',
  'http://172.16.0.1/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://100.100.100.200/',
  'http://0.0.0.0/',
  'http://0/',
  'http://224.0.0.1/',
  'http://255.255.255.255/',
  'http://192.0.2.1/',
  'https://localhost/',
  'https://LOCALHOST./',
  'https://app.localhost/',
];

let receiver: http.Server;
let port: number;
const hits: string[] = [];
let t: TestContext;
let admin: TestUser;
beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/redirect') res.writeHead(302, { location: `http://127.0.0.1:${port}/followed` }).end();
    else res.writeHead(204).end();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  port = (receiver.address() as AddressInfo).port;
  t = await createTestContext();
  admin = await t.user('admin');
}, 60_000);
afterAll(async () => {
  await t?.close();
  await new Promise((r) => receiver.close(r));
});

/** A resolver that answers what the test says (DNS rebinding: a public answer first, an internal one next). */
const resolver = (...answers: string[][]): LookupAll => {
  let n = 0;
  return async () => (answers[Math.min(n++, answers.length - 1)] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('webhook targets', () => {
  it('classifies addresses with ipaddr.js: only public unicast passes', () => {
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.1.2.3', '169.254.169.254', 'fd00::1', 'fe80::1%eth0', '0.0.0.0', '::', '224.0.0.1', 'ff02::1', '100.64.0.1', '64:ff9b::a00:1', 'not an address'])
      expect(isPublicAddress(a), a).toBe(false);
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPublicAddress(a), a).toBe(true);
  });

  it.each(INTERNAL)('refuses %s when saved (400), on create and on update', async (url) => {
    const res = await t.as(admin, { method: 'POST', url: '/api/v1/webhooks', payload: { url, events: ['group.created'] } });
    const refused = problem(res, 400);
    expect(refused.code).toBe('webhook_target_refused');
    expect(refused.errors?.[0]?.field).toBe('url');
  });

  it('refuses an update to an internal target, and names resolving to one', async () => {
    const created = await t.as(admin, { method: 'POST', url: '/api/v1/webhooks', payload: { url: 'https://hooks.example.com/x', events: ['*'] } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    for (const url of ['http://169.254.169.254/', 'http://[::ffff:10.0.0.1]/'])
      problem(await t.as(admin, { method: 'PATCH', url: `/api/v1/webhooks/${id}`, payload: { url } }), 400);
    expect((await t.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id } })).url).toBe('https://hooks.example.com/x');
    await expect(checkWebhookUrl('https://internal.example.com/', false, resolver(['10.0.0.7']))).rejects.toMatchObject({ code: 'webhook_target_refused' });
    await expect(checkWebhookUrl('https://mixed.example.com/', false, resolver(['93.184.215.14', '127.0.0.1']))).rejects.toMatchObject({ code: 'webhook_target_refused' });
    await expect(checkWebhookUrl('https://public.example.com/', false, resolver(['93.184.215.14']))).resolves.toBeUndefined();
    await expect(checkWebhookUrl('http://127.0.0.1/', true)).resolves.toBeUndefined();
  });

  it('connects only to the address it checked: a name re-resolving to an internal address is refused, nothing is sent', async () => {
    const before = hits.length;
    const rebinding = resolver(['93.184.215.14'], ['127.0.0.1']);
    await checkWebhookUrl(`http://rebind.example.com:${port}/`, false, rebinding);
    const post = postWebhook(`http://rebind.example.com:${port}/rebound`, { headers: {}, body: '{}', timeoutMs: 2000, allowPrivate: false, lookup: rebinding });
    await expect(post).rejects.toBeInstanceOf(TargetRefused);
    await expect(postWebhook(`http://127.1:${port}/literal`, { headers: {}, body: '{}', timeoutMs: 2000, allowPrivate: false })).rejects.toBeInstanceOf(TargetRefused);
    await expect(postWebhook(`http://localhost:${port}/name`, { headers: {}, body: '{}', timeoutMs: 2000, allowPrivate: false })).rejects.toBeInstanceOf(TargetRefused);
    expect(hits.length).toBe(before);
  });

  it('never follows a redirect', async () => {
    const res = await postWebhook(`http://127.0.0.1:${port}/redirect`, { headers: {}, body: '{}', timeoutMs: 2000, allowPrivate: true });
    expect(res.status).toBe(302);
    await new Promise((r) => setTimeout(r, 100));
    expect(hits).toContain('/redirect');
    expect(hits).not.toContain('/followed');
  });

  it('refuses at delivery (a target saved before the rule, or behind a name), and the log says no more than that', async () => {
    const hit = hits.length;
    for (const url of [`http://127.0.0.1:${port}/old`, `http://[::ffff:127.0.0.1]:${port}/old`, `http://localhost:${port}/old`, 'http://169.254.169.254/latest/meta-data/']) {
      const endpoint = await t.db.prisma.webhookEndpoint.create({ data: { url, events: ['*'], secret: t.app.secrets.seal('whsec_x') } });
      const event = await t.db.prisma.outboxEvent.create({ data: { type: 'group.created', payload: {} } });
      const delivery = await t.db.prisma.webhookDelivery.create({ data: { endpointId: endpoint.id, eventId: event.id } });
      await expect(deliver(t.app, delivery.id, 1)).rejects.toThrow();
      const log = await t.as(admin, { method: 'GET', url: `/api/v1/webhooks/${endpoint.id}/deliveries` });
      expect(log.statusCode).toBe(200);
      const [row] = log.json<{ items: { responseStatus: number | null; latencyMs: number | null; lastError: string }[] }>().items;
      expect(row).toMatchObject({ responseStatus: null, latencyMs: null, lastError: 'refused: the target is not a public address' });
    }
    expect(hits.length).toBe(hit);
  });
});
