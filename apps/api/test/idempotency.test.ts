import { PassThrough } from 'node:stream';
import { Prisma } from '../src/generated/prisma/client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

let t: TestContext;
let admin: TestUser, other: TestUser;
beforeAll(async () => {
  t = await createTestContext({ IDEMPOTENCY_LEASE_SECONDS: '60' });
  [admin, other] = await Promise.all([t.user('admin'), t.user('admin')]);
});
afterAll(async () => t?.close());

const create = (who: TestUser, key: string, payload: Record<string, unknown>) =>
  t.as(who, { method: 'POST', url: '/api/v1/users', payload, headers: { 'idempotency-key': key } });

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, without writing twice', async () => {
    const body = { email: 'idem@test.covey', firstName: 'Idem', lastName: 'Potent' };
    const first = await create(admin, 'key-1', body);
    const again = await create(admin, 'key-1', body);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await t.db.prisma.user.count({ where: { email: 'idem@test.covey' } })).toBe(1);
    // Without the key, the same body is a real second request: a conflict.
    problem(await t.as(admin, { method: 'POST', url: '/api/v1/users', payload: body }), 409);
  });

  it('refuses the same key with another body (422) and keeps keys per caller', async () => {
    await create(admin, 'key-2', { email: 'a2@test.covey', firstName: 'A', lastName: 'Two' });
    expect(problem(await create(admin, 'key-2', { email: 'b2@test.covey', firstName: 'B', lastName: 'Two' }), 422).errors?.[0]?.field).toBe('header.idempotency-key');
    expect(await t.db.prisma.user.count({ where: { email: 'b2@test.covey' } })).toBe(0);
    // Another caller may use the same key string for its own request.
    expect((await create(other, 'key-2', { email: 'c2@test.covey', firstName: 'C', lastName: 'Two' })).statusCode).toBe(201);
  });

  it('answers invalid bodies the same way each time (validation runs first); a too long key is a 400', async () => {
    const invalid = await create(admin, 'key-3', { email: 'not-an-email', firstName: 'x', lastName: 'y' });
    const replay = await create(admin, 'key-3', { email: 'not-an-email', firstName: 'x', lastName: 'y' });
    expect(invalid.statusCode).toBe(400);
    expect(replay.statusCode).toBe(400);
    problem(await create(admin, 'k'.repeat(300), { email: 'z@test.covey', firstName: 'x', lastName: 'y' }), 400);
  });

  it('holds the key of a running request for the lease only (409 with Retry-After), then stores the answer for 24 hours', async () => {
    // A shared document whose upload is still coming in: the request is running, holding its key.
    const boundary = '----covey-lease';
    const body = new PassThrough();
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, 'idempotency-key': 'slow-upload' };
    const running = t.as(admin, { method: 'POST', url: `/api/v1/users/${other.id}/documents`, payload: body, headers });
    body.write(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nSlow\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`);
    const held = await waitFor(() => t.db.prisma.idempotencyRecord.findFirst({ where: { key: 'slow-upload' } }));
    const leaseLeft = held.expiresAt.getTime() - Date.now();
    expect(held.statusCode).toBeNull();
    expect(leaseLeft).toBeGreaterThan(50_000);
    expect(leaseLeft).toBeLessThanOrEqual(60_000);

    const meanwhile = await t.as(admin, { method: 'POST', url: `/api/v1/users/${other.id}/documents`, payload: Buffer.alloc(0), headers });
    expect(problem(meanwhile, 409).detail).toContain('still running');
    expect(Number(meanwhile.headers['retry-after'])).toBeGreaterThan(50);
    expect(Number(meanwhile.headers['retry-after'])).toBeLessThanOrEqual(60);

    body.end(`%%EOF\n\r\n--${boundary}--\r\n`);
    expect((await running).statusCode).toBe(201);
    const stored = await t.db.prisma.idempotencyRecord.findFirstOrThrow({ where: { key: 'slow-upload' } });
    expect(stored.statusCode).toBe(201);
    expect(stored.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
  });

  it('frees the key of a request whose node died once its lease is over: the retry runs afresh, under a new record', async () => {
    const body = { email: 'died@test.covey', firstName: 'Dead', lastName: 'Node' };
    // What a node killed mid-request (before its transaction committed) leaves behind: the key held, no answer, no
    // user, the lease not over yet. Made from a real request's record, rolled back by hand.
    expect((await create(admin, 'died', body)).statusCode).toBe(201);
    await t.db.prisma.user.deleteMany({ where: { email: body.email } });
    const dead = await t.db.prisma.idempotencyRecord.update({
      where: { principal_key: { principal: `user:${admin.id}`, key: 'died' } },
      data: { statusCode: null, responseBody: Prisma.DbNull, headers: {}, expiresAt: new Date(Date.now() + 30_000) },
    });
    expect(problem(await create(admin, 'died', body), 409).detail).toContain('still running');
    expect(await t.db.prisma.user.count({ where: { email: 'died@test.covey' } })).toBe(0);

    // The lease is over: the retry takes the key over and runs.
    await t.db.prisma.idempotencyRecord.update({ where: { id: dead.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const retried = await create(admin, 'died', body);
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await t.db.prisma.user.count({ where: { email: 'died@test.covey' } })).toBe(1);
    // Under a new id: the dead request's record, were it only slow, can no longer write or delete its successor.
    expect(await t.db.prisma.idempotencyRecord.findUnique({ where: { id: dead.id } })).toBeNull();
    const again = await create(admin, 'died', body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(retried.json());
  });

  it('lets an expired answer go: the key is free again after its 24 hours', async () => {
    const first = await create(admin, 'old-key', { email: 'old1@test.covey', firstName: 'Old', lastName: 'One' });
    expect(first.statusCode).toBe(201);
    await t.db.prisma.idempotencyRecord.updateMany({ where: { key: 'old-key' }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    // Not yet cleaned up by the hourly job, yet no longer binding: another body with the old key is a new request.
    const next = await create(admin, 'old-key', { email: 'old2@test.covey', firstName: 'Old', lastName: 'Two' });
    expect(next.statusCode).toBe(201);
    expect(next.headers['idempotent-replayed']).toBeUndefined();
  });
});

async function waitFor<T>(read: () => Promise<T | null>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
