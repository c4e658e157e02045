import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
    expect((await me(user.token)).statusCode).toBe(200); // the first request of a fresh app pays its warm-up
    const token = t.app.jwt.sign({ typ: 'access', sub: user.id, role: 'learner' }, { expiresIn: 3 });
    const { exp } = t.app.jwt.decode<{ exp: number }>(token)!;
    expect((await me(token)).statusCode).toBe(200);
    expect((await me(token)).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 100));
    expect(problem(await me(token), 401).code).toBe('invalid_token');
  });

  it('never accept a token that differs from a cached one by a single character', async () => {
    const user = await t.user('learner');
    const token = t.app.jwt.sign({ typ: 'access', sub: user.id, role: 'learner' });
    expect((await me(token)).statusCode).toBe(200);
    // The signature's first character: all six of its bits are signature bits (the last character's low bits are
    // base64url padding, so changing only them leaves the same signature: not a different token).
    const at = token.lastIndexOf('.') + 1;
    const other = token[at] === 'A' ? 'B' : 'A';
    problem(await me(`${token.slice(0, at)}${other}${token.slice(at + 1)}`), 401);
    // And a character of the claims: the signature no longer matches.
    const claimsAt = token.indexOf('.') + 5;
    const flipped = token[claimsAt] === 'A' ? 'B' : 'A';
    problem(await me(`${token.slice(0, claimsAt)}${flipped}${token.slice(claimsAt + 1)}`), 401);
  });

  it('follow a deactivation made by this process at once, cached or not', async () => {
    const admin = await t.user('admin');
    const user = await t.user('learner');
    expect((await me(user.token)).statusCode).toBe(200);
    const off = await t.as(admin, { method: 'PATCH', url: `/api/v1/users/${user.id}`, payload: { status: 'deactivated' } });
    expect(off.statusCode).toBe(200);
    expect((await me(user.token)).statusCode).toBe(401);
  });

  it('follow a deactivation written by another process as soon as the database notifies it', async () => {
    const user = await t.user('learner');
    expect((await me(user.token)).statusCode).toBe(200);
    // A write that does not go through this app (another node, SQL by hand): the trigger's NOTIFY evicts the entry.
    await t.db.prisma.$executeRaw`UPDATE users SET status = 'deactivated' WHERE id = ${user.id}::uuid`;
    await vi.waitFor(async () => expect((await me(user.token)).statusCode).toBe(401), { timeout: 5_000, interval: 20 });
  });
});
