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

  it('answers RFC 6749 errors: application/json {error, error_description}, never problem+json', async () => {
    const client = await newClient(['users:read']);
    const oauthError = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, error: string) => {
      expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
      expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json() as Record<string, unknown>;
      expect(body).toMatchObject({ error });
      expect(typeof body.error_description).toBe('string');
      expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
      if (status === 401) expect(String(res.headers['www-authenticate'])).toMatch(/^Basic realm=/);
    };
    const post = (payload: unknown, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: '/api/v1/oauth/token', payload: payload as never, headers });
    const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

    oauthError(await tokenFor({ ...client, clientSecret: 'wrong' }), 401, 'invalid_client');
    oauthError(await post({ grant_type: 'client_credentials' }, basic(client.clientId, 'wrong')), 401, 'invalid_client');
    oauthError(await post({ grant_type: 'client_credentials' }, basic('cvc_nobody', 'x')), 401, 'invalid_client');
    oauthError(await post({ grant_type: 'client_credentials' }, basic('%E0%A4%A', '%')), 401, 'invalid_client');
    oauthError(await post({ grant_type: 'client_credentials' }, { authorization: 'Basic !!!' }), 401, 'invalid_client');
    oauthError(await post({ grant_type: 'client_credentials' }), 401, 'invalid_client');
    oauthError(await tokenFor(client, 'users:write'), 400, 'invalid_scope');
    oauthError(await post({ grant_type: 'password', client_id: client.clientId, client_secret: client.clientSecret }), 400, 'unsupported_grant_type');
    // A missing grant_type is a malformed request (RFC 6749 section 5.2), not an unsupported grant.
    oauthError(await post({ client_id: client.clientId, client_secret: client.clientSecret }), 400, 'invalid_request');
    oauthError(await post('grant_type=client_credentials&client_id=x&', { 'content-type': 'text/plain' }), 400, 'invalid_request');
    oauthError(await post('{"grant_type":', { 'content-type': 'application/json' }), 400, 'invalid_request');
    oauthError(await post({ grant_type: 'client_credentials', scope: 'x'.repeat(600) }), 400, 'invalid_request');
    oauthError(await post({ grant_type: 'client_credentials', client_id: 'a\u0000', client_secret: 'b' }), 401, 'invalid_client');
    // One authentication method per request (RFC 6749 section 2.3).
    oauthError(
      await post({ grant_type: 'client_credentials', client_secret: client.clientSecret }, basic(client.clientId, client.clientSecret)),
      400,
      'invalid_request',
    );
    // The document says so too.
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, unknown> }> }>> }>();
    const responses = doc.paths['/api/v1/oauth/token']!.post!.responses;
    for (const status of ['400', '401']) expect(Object.keys(responses[status]!.content)).toEqual(['application/json']);
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

  it('revokes a client by the clientId integrators hold (cvc_…), or by its id', async () => {
    const client = await newClient(['users:read']);
    const token = (await tokenFor(client)).json().access_token;
    expect(client.clientId).toMatch(/^cvc_/);
    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/integrations/clients/${client.clientId}` })).statusCode).toBe(204);
    problem(await call(token, { method: 'GET', url: '/api/v1/users' }), 401);
    expect((await tokenFor(client)).statusCode).toBe(401);
    // Revoking again is harmless; unknown clients are 404.
    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/integrations/clients/${client.clientId}` })).statusCode).toBe(204);
    problem(await t.as(admin, { method: 'DELETE', url: '/api/v1/integrations/clients/cvc_nobody' }), 404);
    problem(await t.as(admin, { method: 'DELETE', url: '/api/v1/integrations/clients/00000000-0000-4000-8000-000000000000' }), 404);
    problem(await t.as(learner, { method: 'DELETE', url: `/api/v1/integrations/clients/${(await newClient(['bulk'])).clientId}` }), 403);
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
