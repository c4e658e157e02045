import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, PASSWORD, problem, type TestContext, type TestUser } from './helpers.ts';

/** Invitations and password resets: one-time links by mail, through the real mail queue (the dev mailbox). */
let t: TestContext;
let admin: TestUser;
let owner: TestUser;

beforeAll(async () => {
  t = await createTestContext({ COVEY_PUBLIC_URL: 'https://covey.example.com', INVITE_TTL_DAYS: '3' });
  [admin, owner] = [await t.user('admin'), await t.user('owner')];
}, 60_000);
afterAll(async () => t?.close());

/** The link of the newest mail to an address, as the mail's text carries it. */
async function linkFor(email: string, kind: 'invite' | 'reset-password') {
  const mail = await t.db.prisma.mailMessage.findFirst({ where: { to: email }, orderBy: { createdAt: 'desc' } });
  expect(mail, `a mail to ${email}`).toBeTruthy();
  const match = new RegExp(`https://covey\\.example\\.com/${kind}#token=([\\w-]+)`).exec(mail!.text);
  expect(match, mail!.text).toBeTruthy();
  expect(mail!.html).toContain(`https://covey.example.com/${kind}#token=${match![1]}`);
  return match![1]!;
}
const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, payload: payload as object });
const login = (email: string, password: string) => post('/auth/login', { email, password });
const newEmail = () => `person-${Math.random().toString(36).slice(2)}@test.covey`;

describe('invitations', () => {
  it('a person created without a password is invited, chooses a password once, and is signed in', async () => {
    const email = newEmail();
    const created = await t.as(admin, { method: 'POST', url: '/api/v1/users', payload: { email, firstName: 'Ines', lastName: 'Invited' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ state: 'invited', invitation: { expiresAt: expect.any(String) } });
    const expires = new Date(created.json().invitation.expiresAt).getTime();
    expect(expires - Date.now()).toBeGreaterThan(2.9 * 86_400_000);
    expect(expires - Date.now()).toBeLessThan(3.1 * 86_400_000);

    const token = await linkFor(email, 'invite');
    // Only the hash is stored.
    expect(await t.db.prisma.userToken.count({ where: { tokenHash: token } })).toBe(0);
    expect((await post('/auth/tokens/check', { token })).json()).toEqual({ kind: 'invite', email, firstName: 'Ines', lastName: 'Invited' });
    expect(problem(await post('/auth/invitations/accept', { token, password: 'password123' }), 422).code).toBe('weak_password');
    const accepted = await post('/auth/invitations/accept', { token, password: 'a-garden-of-tulips' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().user.email).toBe(email);
    expect((await login(email, 'a-garden-of-tulips')).statusCode).toBe(200);
    // Single use.
    expect(problem(await post('/auth/invitations/accept', { token, password: 'another-garden-7' }), 410).code).toBe('link_expired');
    expect(problem(await post('/auth/tokens/check', { token }), 410).code).toBe('link_expired');
    const after = await t.as(admin, { method: 'GET', url: `/api/v1/users/${created.json().id}` });
    expect(after.json()).toMatchObject({ state: 'active', invitation: null });
  });

  it('is not sent with invite: false, with a password, or to an SSO-only workspace', async () => {
    const quiet = newEmail();
    expect((await t.as(admin, { method: 'POST', url: '/api/v1/users', payload: { email: quiet, firstName: 'Q', lastName: 'Q', invite: false } })).json()).toMatchObject({
      state: 'invited',
      invitation: null,
    });
    const withPassword = newEmail();
    expect(
      (await t.as(admin, { method: 'POST', url: '/api/v1/users', payload: { email: withPassword, firstName: 'P', lastName: 'P', password: 'an-initial-secret-9' } })).json(),
    ).toMatchObject({ state: 'active', invitation: null });
    expect(await t.db.prisma.mailMessage.count({ where: { to: { in: [quiet, withPassword] } } })).toBe(0);
  });

  it('is resent (the previous link stops working) and revoked by admins; never to someone already active', async () => {
    const email = newEmail();
    const id = (await t.as(admin, { method: 'POST', url: '/api/v1/users', payload: { email, firstName: 'R', lastName: 'R' } })).json().id;
    const first = await linkFor(email, 'invite');
    const resent = await t.as(admin, { method: 'POST', url: `/api/v1/users/${id}/invitation` });
    expect(resent.statusCode, resent.body).toBe(202);
    expect(resent.json()).toMatchObject({ sentTo: email });
    const second = await linkFor(email, 'invite');
    expect(second).not.toBe(first);
    expect((await post('/auth/tokens/check', { token: first })).statusCode).toBe(410);
    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/users/${id}/invitation` })).statusCode).toBe(204);
    expect((await post('/auth/tokens/check', { token: second })).statusCode).toBe(410);
    expect(problem(await t.as(admin, { method: 'DELETE', url: `/api/v1/users/${id}/invitation` }), 404).code).toBe('not_found');
    const active = await t.user('learner');
    expect(problem(await t.as(admin, { method: 'POST', url: `/api/v1/users/${active.id}/invitation` }), 409).code).toBe('already_active');
  });

  it('goes to people provisioned by SCIM too', async () => {
    const token = (await t.as(admin, { method: 'POST', url: '/api/v1/integrations/scim-tokens', payload: { name: 'idp' } })).json<{ token: string }>().token;
    const email = newEmail();
    const res = await t.app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      payload: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `Test_User_${Date.now()}`,
        name: { givenName: 'Sam', familyName: 'Provisioned' },
        emails: [{ value: email, type: 'work', primary: true }],
        active: true,
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const link = await linkFor(email, 'invite');
    expect((await post('/auth/tokens/check', { token: link })).json()).toMatchObject({ kind: 'invite', email, firstName: 'Sam' });
  });

  it('expires', async () => {
    const email = newEmail();
    const id = (await t.as(admin, { method: 'POST', url: '/api/v1/users', payload: { email, firstName: 'E', lastName: 'E' } })).json().id;
    const token = await linkFor(email, 'invite');
    await t.db.prisma.userToken.updateMany({ where: { userId: id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await post('/auth/invitations/accept', { token, password: 'a-garden-of-tulips' })).statusCode).toBe(410);
  });
});

describe('password reset', () => {
  it('answers alike whether the address exists or not, and a link resets the password once, signing out every session', async () => {
    const user = await t.user('learner');
    const before = await t.db.prisma.mailMessage.count();
    const unknown = await post('/auth/password/forgot', { email: 'nobody-here@test.covey' });
    const known = await post('/auth/password/forgot', { email: user.email });
    expect([unknown.statusCode, known.statusCode]).toEqual([202, 202]);
    expect(unknown.body).toBe(known.body);
    expect(await t.db.prisma.mailMessage.count()).toBe(before + 1);
    const session = (await login(user.email, PASSWORD)).json<{ refreshToken: string }>().refreshToken;

    const token = await linkFor(user.email, 'reset-password');
    const row = await t.db.prisma.userToken.findFirstOrThrow({ where: { userId: user.id, kind: 'reset' } });
    expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    const reset = await post('/auth/password/reset', { token, password: 'a-new-mountain-path' });
    expect(reset.statusCode, reset.body).toBe(200);
    expect((await login(user.email, PASSWORD)).statusCode).toBe(401);
    expect((await login(user.email, 'a-new-mountain-path')).statusCode).toBe(200);
    expect((await post('/auth/refresh', { refreshToken: session })).statusCode).toBe(401);
    expect((await post('/auth/password/reset', { token, password: 'yet-another-path-9' })).statusCode).toBe(410);
    // An invitation link does not reset, nor a reset link accept.
    expect((await post('/auth/invitations/accept', { token, password: 'yet-another-path-9' })).statusCode).toBe(410);
  });

  it('is rate-limited per address and e-mail', async () => {
    const own = await createTestContext({ LOGIN_RATE_LIMIT: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++)
        codes.push((await own.app.inject({ method: 'POST', url: '/api/v1/auth/password/forgot', payload: { email: 'same@test.covey' } })).statusCode);
      expect(codes).toEqual([202, 202, 202, 429]);
    } finally {
      await own.close();
    }
  }, 60_000);

  it('is sent by an admin for someone of lower rank, never set by them', async () => {
    const learner = await t.user('learner');
    const sent = await t.as(admin, { method: 'POST', url: `/api/v1/users/${learner.id}/password-reset` });
    expect(sent.statusCode, sent.body).toBe(202);
    expect(await linkFor(learner.email, 'reset-password')).toBeTruthy();
    const otherAdmin = await t.user('admin');
    expect((await t.as(admin, { method: 'POST', url: `/api/v1/users/${otherAdmin.id}/password-reset` })).statusCode).toBe(403);
    expect((await t.as(owner, { method: 'POST', url: `/api/v1/users/${otherAdmin.id}/password-reset` })).statusCode).toBe(202);
  });
});

describe('passwords', () => {
  it('refuses the most common passwords and one’s own e-mail wherever a password is chosen', async () => {
    const email = newEmail();
    const created = await t.as(admin, { method: 'POST', url: '/api/v1/users', payload: { email, firstName: 'W', lastName: 'W', password: 'qwertyuiop' } });
    expect(problem(created, 422).errors).toEqual([{ field: 'body.password', message: 'is one of the most common passwords' }]);
    const me = await t.user('learner');
    const change = await t.as(me, { method: 'PATCH', url: '/api/v1/me', payload: { currentPassword: PASSWORD, password: me.email } });
    expect(problem(change, 422).code).toBe('weak_password');
  });
});

describe('single sign-on only', () => {
  it('refuses passwords to everyone but the owner, and sends no invitation', async () => {
    const sso = await createTestContext({ COVEY_SSO_ONLY: '1' });
    try {
      const [learner, adminHere, ownerHere] = [await sso.user('learner'), await sso.user('admin'), await sso.user('owner')];
      const signIn = (email: string) => sso.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
      expect((await signIn(learner.email)).statusCode).toBe(403);
      expect((await signIn(adminHere.email)).statusCode).toBe(403);
      expect((await signIn('nobody@test.covey')).statusCode).toBe(403);
      expect((await signIn(ownerHere.email)).statusCode).toBe(200);
      const methods = (await sso.app.inject({ method: 'GET', url: '/api/v1/auth/methods' })).json();
      expect(methods.password).toBe(false);
      const email = newEmail();
      await sso.as(adminHere, { method: 'POST', url: '/api/v1/users', payload: { email, firstName: 'S', lastName: 'S' } });
      expect(await sso.db.prisma.mailMessage.count({ where: { to: email } })).toBe(0);
    } finally {
      await sso.close();
    }
  }, 60_000);
});
