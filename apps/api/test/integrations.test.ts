import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

let t: TestContext;
let admin: TestUser, learner: TestUser;

beforeAll(async () => {
  t = await createTestContext({ CLIENT_RATE_LIMIT: '30' });
  [admin, learner] = await Promise.all([t.user('admin'), t.user('learner')]);
});
afterAll(async () => t?.close());

async function newClient(scopes: string[]) {
  const res = await t.as(admin, { method: 'POST', url: '/api/v1/integrations/clients', payload: { name: `Client ${scopes.join('+')}`, scopes } });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string; clientId: string; clientSecret: string }>();
}

const tokenFor = async (client: { clientId: string; clientSecret: string }, scope?: string) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, ...(scope ? { scope } : {}) }).toString(),
  });
  return res;
};
const call = (token: string, options: { method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'; url: string; payload?: unknown; headers?: Record<string, string> }) =>
  t.app.inject({ ...options, payload: options.payload as never, headers: { authorization: `Bearer ${token}`, ...options.headers } });

describe('integration clients and OAuth 2.0 client credentials', () => {
  it('shows the secret once, stores only its hash, and only admins manage clients', async () => {
    const client = await newClient(['users:read']);
    expect(client.clientSecret).toMatch(/^cvs_/);
    const row = await t.db.prisma.integrationClient.findUniqueOrThrow({ where: { id: client.id } });
    expect(row.secretHash).not.toContain(client.clientSecret);
    const list = await t.as(admin, { method: 'GET', url: '/api/v1/integrations/clients' });
    expect(JSON.stringify(list.json())).not.toContain(client.clientSecret);
    problem(await t.as(learner, { method: 'POST', url: '/api/v1/integrations/clients', payload: { name: 'x', scopes: ['bulk'] } }), 403);
    problem(await t.as(admin, { method: 'POST', url: '/api/v1/integrations/clients', payload: { name: 'x', scopes: ['root'] } }), 400);
  });

  it('issues one-hour bearer tokens (form or JSON, body or Basic credentials) carrying the scopes', async () => {
    const client = await newClient(['users:read', 'groups:read']);
    const form = await tokenFor(client);
    expect(form.statusCode).toBe(200);
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'users:read groups:read' });
    const basic = await t.app.inject({
      method: 'POST',
      url: '/api/v1/oauth/token',
      headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` },
      payload: { grant_type: 'client_credentials', scope: 'groups:read' },
    });
    expect(basic.json().scope).toBe('groups:read');
    const claims = t.app.jwt.decode<{ exp: number; iat: number }>(basic.json().access_token)!;
    expect(claims.exp - claims.iat).toBe(3600);
    // The narrowed token cannot read users.
    problem(await call(basic.json().access_token, { method: 'GET', url: '/api/v1/users' }), 403);
    expect((await call(form.json().access_token, { method: 'GET', url: '/api/v1/users' })).statusCode).toBe(200);
  });

  it('answers RFC 6749 errors', async () => {
    const client = await newClient(['users:read']);
    expect((await tokenFor({ ...client, clientSecret: 'wrong' })).json()).toMatchObject({ error: 'invalid_client', status: 401 });
    expect((await tokenFor(client, 'users:write')).json()).toMatchObject({ error: 'invalid_scope' });
    const grant = await t.app.inject({ method: 'POST', url: '/api/v1/oauth/token', payload: { grant_type: 'password', client_id: client.clientId, client_secret: client.clientSecret } });
    expect(grant.json()).toMatchObject({ error: 'unsupported_grant_type', status: 400 });
  });

  it('enforces scopes: a groups:read token cannot write; people endpoints are closed to clients', async () => {
    const reader = await newClient(['groups:read']);
    const token = (await tokenFor(reader)).json().access_token;
    expect((await call(token, { method: 'GET', url: '/api/v1/groups' })).statusCode).toBe(200);
    problem(await call(token, { method: 'POST', url: '/api/v1/groups', payload: { name: 'Nope' } }), 403);
    problem(await call(token, { method: 'GET', url: '/api/v1/me' }), 403);
    expect(await t.db.prisma.group.count({ where: { name: 'Nope' } })).toBe(0);
    const writer = await newClient(['groups:write', 'users:write']);
    const wtoken = (await tokenFor(writer)).json().access_token;
    const group = await call(wtoken, { method: 'POST', url: '/api/v1/groups', payload: { name: 'From ERP', externalId: 'erp-1' } });
    expect(group.statusCode).toBe(201);
    const user = await call(wtoken, { method: 'POST', url: '/api/v1/users', payload: { email: 'new@erp.test', firstName: 'N', lastName: 'E', groups: [{ group: 'ext:erp-1', role: 'learner' }] } });
    expect(user.statusCode).toBe(201);
    const membership = await t.db.prisma.membership.findFirstOrThrow({ where: { userId: user.json().id } });
    expect(membership.source).toBe('api');
  });

  it('refuses an expired token (401)', async () => {
    const client = await newClient(['users:read']);
    const row = await t.db.prisma.integrationClient.findUniqueOrThrow({ where: { id: client.id } });
    const expired = t.app.jwt.sign({ typ: 'client', sub: row.id, cid: row.clientId, scope: 'users:read' }, { expiresIn: -10 });
    expect(problem(await call(expired, { method: 'GET', url: '/api/v1/users' }), 401).code).toBe('invalid_token');
  });

  it('stops a revoked client at once (401)', async () => {
    const client = await newClient(['users:read']);
    const token = (await tokenFor(client)).json().access_token;
    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/integrations/clients/${client.id}` })).statusCode).toBe(204);
    problem(await call(token, { method: 'GET', url: '/api/v1/users' }), 401);
    expect((await tokenFor(client)).statusCode).toBe(401);
  });

  it('audits every integration call and rate-limits per client with RateLimit headers', async () => {
    const client = await newClient(['users:read']);
    const token = (await tokenFor(client)).json().access_token;
    const first = await call(token, { method: 'GET', url: '/api/v1/users?limit=1' });
    expect(first.headers['ratelimit-limit']).toBe('30');
    expect(Number(first.headers['ratelimit-remaining'])).toBe(29);
    for (let i = 0; i < 29; i++) await call(token, { method: 'GET', url: '/api/v1/users?limit=1' });
    const limited = await call(token, { method: 'GET', url: '/api/v1/users?limit=1' });
    expect(problem(limited, 429).code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another client has its own budget; people are not limited by it.
    const other = (await tokenFor(await newClient(['users:read']))).json().access_token;
    expect((await call(other, { method: 'GET', url: '/api/v1/users?limit=1' })).statusCode).toBe(200);
    expect((await t.as(admin, { method: 'GET', url: '/api/v1/users?limit=1' })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    const audited = await t.db.prisma.auditLog.count({ where: { actorType: 'client', actorId: client.id } });
    expect(audited).toBe(31);
  });
});
