import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../src/env.ts';
import { createTestContext, type TestContext, type TestUser } from './helpers.ts';

/**
 * CORS: only the origins COVEY_CORS_ORIGINS names may call the API from a browser. Preflights (OPTIONS) are not
 * operations of the OpenAPI document: the wire check passes them by; every other request here is checked.
 */
let t: TestContext, closed: TestContext;
let learner: TestUser;
const portal = 'https://portal.example.com';
beforeAll(async () => {
  [t, closed] = await Promise.all([
    createTestContext({ COVEY_CORS_ORIGINS: `${portal}, https://other.example.org:8443` }),
    createTestContext({}),
  ]);
  learner = await t.user('learner');
});
afterAll(async () => Promise.all([t?.close(), closed?.close()]));

const preflight = (ctx: TestContext, origin: string) =>
  ctx.app.inject({
    method: 'OPTIONS',
    url: '/api/v1/me',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });

describe('CORS', () => {
  it('answers a preflight from a named origin without credentials, and its requests carry the origin back', async () => {
    const res = await preflight(t, portal);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(portal);
    expect(String(res.headers['access-control-allow-headers'])).toContain('authorization');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();

    const me = await t.as(learner, { method: 'GET', url: '/api/v1/me', headers: { origin: portal } });
    expect(me.statusCode).toBe(200);
    expect(me.headers['access-control-allow-origin']).toBe(portal);
    expect(String(me.headers['access-control-expose-headers'])).toContain('ratelimit-remaining');
    const other = await preflight(t, 'https://other.example.org:8443');
    expect(other.headers['access-control-allow-origin']).toBe('https://other.example.org:8443');
  });

  it('gives any other origin nothing to read, and by default names no origin at all', async () => {
    for (const origin of ['https://evil.example.com', 'https://portal.example.com.evil.io', 'http://portal.example.com', 'null']) {
      expect((await preflight(t, origin)).headers['access-control-allow-origin'], origin).toBeUndefined();
      const me = await t.as(learner, { method: 'GET', url: '/api/v1/me', headers: { origin } });
      expect(me.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
    expect((await preflight(closed, portal)).headers['access-control-allow-origin']).toBeUndefined();
    const me = await closed.app.inject({ method: 'GET', url: '/api/health', headers: { origin: portal } });
    expect(me.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a setting that is not a list of origins', async () => {
    for (const value of ['https://portal.example.com/app', 'portal.example.com', 'ftp://portal.example.com']) {
      expect(() => loadEnv({ NODE_ENV: 'test', COVEY_CORS_ORIGINS: value }), value).toThrow(/COVEY_CORS_ORIGINS/);
    }
    expect(loadEnv({ NODE_ENV: 'test', COVEY_CORS_ORIGINS: ' https://a.example , https://b.example:8443 ' }).COVEY_CORS_ORIGINS).toEqual([
      'https://a.example',
      'https://b.example:8443',
    ]);
  });
});
