import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

let t: TestContext;
let admin: TestUser, other: TestUser;
beforeAll(async () => {
  t = await createTestContext();
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
});
