import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createTestContext, PASSWORD, type TestContext, type TestUser } from './helpers.ts';
import { NO_REDIS, REDIS_BIN, startRedis } from './redis-server.ts';

/**
 * Two app instances on one database are two nodes of a cluster. With REDIS_URL they count every limit in Redis, so a
 * user, an address or a client gets the limit once whichever node answers; without it each node counts alone.
 */
describe.skipIf(!REDIS_BIN)(`rate limits shared through Redis${REDIS_BIN ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let t: TestContext;
  let second: FastifyInstance;
  let lea: TestUser;
  const LIMIT = 10;
  const me = (app: FastifyInstance, user: TestUser) => app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${user.token}` } });

  beforeAll(async () => {
    redis = await startRedis();
    t = await createTestContext({ REDIS_URL: redis!.url, API_RATE_LIMIT: String(LIMIT), LOGIN_RATE_LIMIT: '4' });
    second = await buildApp({ env: t.env, db: t.db, jobs: false });
    await second.ready();
    lea = await t.user('learner');
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
    await redis?.close();
  });

  it("counts a user's requests on both nodes against one limit", async () => {
    const remaining: number[] = [];
    for (let i = 0; i < LIMIT; i += 1) {
      const res = await me(i % 2 ? second : t.app, lea);
      expect(res.statusCode).toBe(200);
      remaining.push(Number(res.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual([...Array(LIMIT).keys()].map((i) => LIMIT - 1 - i));
    for (const app of [t.app, second]) {
      const over = await me(app, lea);
      expect(over.statusCode).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('counts sign-in attempts per address and e-mail across nodes', async () => {
    const other = await t.user('learner');
    const signIn = (app: FastifyInstance) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.7', payload: { email: other.email, password: `${PASSWORD}-wrong` } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await signIn(i % 2 ? second : t.app)).statusCode);
    expect(statuses.slice(0, 4).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(4)).toEqual([429, 429]);
  });

  it('keeps the counts in Redis, under its own namespace', async () => {
    const { Redis } = await import('ioredis');
    const client = new Redis(redis!.url);
    const keys = await client.keys('covey:rl:*');
    await client.quit();
    expect(keys.some((k) => k.includes(`user:${lea.id}`))).toBe(true);
  });
});

describe('rate limits without Redis', () => {
  let t: TestContext;
  let second: FastifyInstance;
  beforeAll(async () => {
    t = await createTestContext({ API_RATE_LIMIT: '3' });
    second = await buildApp({ env: t.env, db: t.db, jobs: false });
    await second.ready();
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  it('are counted by each node on its own (the README says so)', async () => {
    const lea = await t.user('learner');
    const get = (app: FastifyInstance) => app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${lea.token}` } });
    for (let i = 0; i < 3; i += 1) expect((await get(t.app)).statusCode).toBe(200);
    expect((await get(t.app)).statusCode).toBe(429);
    expect((await get(second)).statusCode).toBe(200);
  });
});
