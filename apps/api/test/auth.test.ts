import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, PASSWORD, problem, type TestContext } from './helpers.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ LOGIN_RATE_LIMIT: '8' });
});
afterAll(async () => t?.close());

const login = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

describe('auth', () => {
  it('signs in with e-mail and password and the access token opens /me', async () => {
    const user = await t.user('learner');
    const res = await login(user.email.toUpperCase(), PASSWORD);
    expect(res.statusCode).toBe(200);
    const session = res.json();
    expect(session).toMatchObject({ expiresIn: 900, user: { id: user.id, email: user.email, role: 'learner' } });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(me.json()).toMatchObject({ id: user.id });
    const stored = await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.lastLoginAt).not.toBeNull();
    // Refresh tokens are stored hashed, never as sent.
    const tokens = await t.db.prisma.refreshToken.findMany({ where: { userId: user.id } });
    expect(tokens.map((r) => r.tokenHash)).not.toContain(session.refreshToken);
  });

  it('refuses a wrong password, an unknown e-mail and a deactivated account with the same 401', async () => {
    const user = await t.user('learner');
    const gone = await t.user('learner', { status: 'deactivated' });
    for (const [email, password] of [[user.email, 'wrong-password'], ['nobody@test.covey', PASSWORD], [gone.email, PASSWORD]]) {
      expect(problem(await login(email!, password!), 401).code).toBe('invalid_credentials');
    }
  });

  it('rotates refresh tokens and revokes the whole family when a used one comes back', async () => {
    const user = await t.user('learner');
    const first = (await login(user.email, PASSWORD)).json();
    const refresh = (token: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: token } });
    const second = await refresh(first.refreshToken);
    expect(second.statusCode).toBe(200);
    expect(second.json().refreshToken).not.toBe(first.refreshToken);
    // Reusing the first token: treated as theft, the family (including the second token) is revoked.
    problem(await refresh(first.refreshToken), 401);
    problem(await refresh(second.json().refreshToken), 401);
  });

  it('logout revokes the session', async () => {
    const user = await t.user('learner');
    const session = (await login(user.email, PASSWORD)).json();
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken: session.refreshToken } });
    expect(out.statusCode).toBe(204);
    problem(await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: session.refreshToken } }), 401);
  });

  it('rejects calls without a token, with a forged token, and for a user deactivated since', async () => {
    expect(problem(await t.app.inject({ method: 'GET', url: '/api/v1/me' }), 401).code).toBe('unauthorized');
    const forged = t.app.jwt.sign({ typ: 'access', sub: '00000000-0000-0000-0000-000000000000', role: 'owner' });
    problem(await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${forged}x` } }), 401);
    const user = await t.user('learner');
    await t.db.prisma.user.update({ where: { id: user.id }, data: { status: 'deactivated' } });
    problem(await t.as(user, { method: 'GET', url: '/api/v1/me' }), 401);
  });

  it('rate-limits sign-in attempts', async () => {
    const user = await t.user('learner');
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await login(user.email, 'wrong-password')).statusCode);
    expect(codes.slice(0, 8).every((c) => c === 401)).toBe(true);
    const limited = await login(user.email, 'wrong-password');
    expect(problem(limited, 429).code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('locks an account after repeated failures, answering as for an unknown address', async () => {
    const user = await t.user('learner');
    await t.db.prisma.user.update({ where: { id: user.id }, data: { failedLogins: 9 } });
    problem(await login(user.email, 'wrong-password'), 401);
    const locked = problem(await login(user.email, PASSWORD), 401);
    const unknown = problem(await login(`nobody-${user.id}@test.covey`, PASSWORD), 401);
    expect({ code: locked.code, detail: locked.detail }).toEqual({ code: unknown.code, detail: unknown.detail });
    expect(locked.code).toBe('invalid_credentials');
  });

  it('gives a burst of parallel wrong passwords no more guesses than the threshold', async () => {
    // Its own app, whose per-address limit does not stop the burst first.
    const own = await createTestContext({ LOGIN_RATE_LIMIT: '1000' });
    try {
      const user = await own.user('learner');
      const attempt = (password: string) => own.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password } });
      const burst = await Promise.all(Array.from({ length: 15 }, () => attempt('wrong-password')));
      expect(burst.map((r) => r.statusCode)).toEqual(Array(15).fill(401));
      // Ten guesses were checked and the tenth locked the account: the right password is refused now.
      expect((await attempt(PASSWORD)).statusCode).toBe(401);
      const row = await own.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await own.close();
    }
  }, 60_000);

  it('believes X-Forwarded-For only from the proxies TRUST_PROXY names', async () => {
    for (const [trust, rotatingEscapes] of [[undefined, false], ['127.0.0.1', true]] as const) {
      const own = await createTestContext({ LOGIN_RATE_LIMIT: '3', ...(trust ? { TRUST_PROXY: trust } : {}) });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 5; i++) {
          const res = await own.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
            payload: { email: 'someone@test.covey', password: 'wrong-password' },
          });
          codes.push(res.statusCode);
        }
        // Untrusted: every attempt counts against the connection's address, whatever the header says.
        expect(codes, `TRUST_PROXY=${trust}`).toEqual(rotatingEscapes ? [401, 401, 401, 401, 401] : [401, 401, 401, 429, 429]);
      } finally {
        await own.close();
      }
    }
  }, 60_000);

  it('signs out every other session when the password changes', async () => {
    const user = await t.user('learner');
    const other = (await login(user.email, PASSWORD)).json<{ refreshToken: string }>().refreshToken;
    const mine = (await login(user.email, PASSWORD)).json<{ accessToken: string; refreshToken: string }>();
    const change = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${mine.accessToken}` },
      payload: { currentPassword: PASSWORD, password: 'a-brand-new-secret-42' },
    });
    expect(change.statusCode, change.body).toBe(200);
    const refresh = (token: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: token } });
    expect((await refresh(other)).statusCode).toBe(401);
    expect((await refresh(mine.refreshToken)).statusCode).toBe(200);
  });

  it('answers problem+json for malformed bodies', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: '{not json', headers: { 'content-type': 'application/json' } });
    expect(problem(res, 400).status).toBe(400);
    const missing = problem(await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.c' } }), 400);
    expect(missing.errors?.[0]?.field).toBe('body.password');
  });
});
