import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext } from './helpers.ts';

/** Verified access tokens are kept (plugins/auth.ts VerifiedTokens): the cache must never outlive or widen a token. */
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

describe('verified access tokens', () => {
  it('stop working at their expiry even once cached', async () => {
    const user = await t.user('learner');
    const token = t.app.jwt.sign({ typ: 'access', sub: user.id, role: 'learner' }, { expiresIn: 2 });
    expect((await me(token)).statusCode).toBe(200);
    expect((await me(token)).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(problem(await me(token), 401).code).toBe('invalid_token');
  });

  it('never accept a token that differs from a cached one by a single character', async () => {
    const user = await t.user('learner');
    const token = t.app.jwt.sign({ typ: 'access', sub: user.id, role: 'learner' });
    expect((await me(token)).statusCode).toBe(200);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    problem(await me(`${token.slice(0, -1)}${last}`), 401);
  });

  it('follow a deactivation at once, cached or not', async () => {
    const user = await t.user('learner');
    expect((await me(user.token)).statusCode).toBe(200);
    await t.db.prisma.user.update({ where: { id: user.id }, data: { status: 'deactivated' } });
    expect((await me(user.token)).statusCode).toBe(401);
  });
});
