import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext } from './helpers.ts';

type Response = { headers?: Record<string, unknown> };
type Doc = { paths: Record<string, Record<string, { responses: Record<string, Response> }>> };

let t: TestContext;
let doc: Doc;
beforeAll(async () => {
  t = await createTestContext({ API_RATE_LIMIT: '5', CLIENT_RATE_LIMIT: '1000' });
  doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Doc>();
});
afterAll(async () => t?.close());

const limited = (res: { headers: Record<string, unknown> }) => ({
  limit: res.headers['ratelimit-limit'],
  remaining: res.headers['ratelimit-remaining'],
  reset: res.headers['ratelimit-reset'],
});

describe('rate limits, as the OpenAPI document declares them', () => {
  it('declares RateLimit-* headers on every 2xx and 4xx answer, and Retry-After on 429', () => {
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(op.responses['429'], `${method} ${path}`).toBeDefined();
        for (const [status, response] of Object.entries(op.responses)) {
          const headers = Object.keys(response.headers ?? {});
          if (/^[24]/.test(status) && !['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'].every((h) => headers.includes(h)))
            missing.push(`${method} ${path} ${status}`);
          if (status === '429' && !headers.includes('Retry-After')) missing.push(`${method} ${path} 429 Retry-After`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('limits each signed-in user, and sends the headers on successes and errors alike', async () => {
    const user = await t.user('learner');
    const other = await t.user('learner');
    const ok = await t.as(user, { method: 'GET', url: '/api/v1/me' });
    expect(ok.statusCode).toBe(200);
    expect(limited(ok)).toEqual({ limit: '5', remaining: '4', reset: expect.any(String) });
    // Validation errors (400) and refusals count and carry the headers too.
    const invalid = await t.as(user, { method: 'GET', url: '/api/v1/users?limit=0' });
    expect(invalid.statusCode).toBeGreaterThanOrEqual(400);
    expect(limited(invalid).remaining).toBe('3');
    for (let i = 0; i < 3; i++) await t.as(user, { method: 'GET', url: '/api/v1/me' });
    const over = await t.as(user, { method: 'GET', url: '/api/v1/me' });
    expect(problem(over, 429).code).toBe('rate_limited');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited(over).remaining).toBe('0');
    // Another user has a budget of their own.
    expect((await t.as(other, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
  });

  it('limits callers without a valid token per IP address, 401s included', async () => {
    const ip = '203.0.113.7';
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/me', remoteAddress: ip });
    expect(problem(anonymous, 401).code).toBeDefined();
    expect(limited(anonymous)).toEqual({ limit: '5', remaining: '4', reset: expect.any(String) });
    const health = await t.app.inject({ method: 'GET', url: '/api/health', remoteAddress: ip });
    expect(health.statusCode).toBe(200);
    expect(limited(health).remaining).toBe('3');
    for (let i = 0; i < 3; i++) await t.app.inject({ method: 'GET', url: '/api/health', remoteAddress: ip });
    expect(problem(await t.app.inject({ method: 'GET', url: '/api/v1/me', remoteAddress: ip }), 429).code).toBe('rate_limited');
    expect((await t.app.inject({ method: 'GET', url: '/api/health', remoteAddress: '203.0.113.8' })).statusCode).toBe(200);
  });
});
