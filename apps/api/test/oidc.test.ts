import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../src/lib/tokens.ts';
import { createTestContext, type TestContext } from './helpers.ts';

// A real OpenID Provider (oidc-provider) on 127.0.0.1, and Covey's callback driven with app.inject: the browser's
// part (following the provider's redirects, keeping its cookies) is done with fetch and a small cookie jar.

const COVEY = 'http://127.0.0.1:4999'; // Covey's public URL: only a name here, Covey itself is reached with inject
const CALLBACK = `${COVEY}/api/v1/auth/oidc/callback`;
const CLIENT_ID = 'covey';
const CLIENT_SECRET = 'covey-test-client-secret';

type Person = {
  sub: string;
  email: string;
  email_verified: boolean;
  preferred_username: string;
  given_name: string;
  family_name: string;
};
const accounts = new Map<string, Person>();
/** Who logs in at the provider in the next interaction. */
let nextLogin = '';
let discoveries = 0;
/** Whether the provider's next token response carries an ID token whose claims were changed after signing. */
let tamperNextIdToken = false;
let issuer = '';
let server: http.Server;

async function startProvider() {
  // Idle connections stay open for the whole file: no race with a client reusing one the server is closing.
  server = http.createServer({ keepAliveTimeout: 120_000 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [CALLBACK],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['oidc-test-cookie-key'] },
    features: { devInteractions: { enabled: false } },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['preferred_username', 'given_name', 'family_name'],
    },
    findAccount: (_ctx: unknown, sub: string) => {
      const person = accounts.get(sub);
      return person ? { accountId: sub, claims: () => person } : undefined;
    },
  });
  const handle = provider.callback();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url?.startsWith('/.well-known/openid-configuration')) discoveries += 1;
    if (req.url === '/token' && tamperNextIdToken) {
      tamperNextIdToken = false;
      const end = res.end.bind(res) as (chunk?: unknown) => http.ServerResponse;
      res.end = ((chunk?: unknown) => {
        const body = JSON.parse(String(chunk));
        const [header, payload, signature] = String(body.id_token).split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
        const changed = Buffer.from(JSON.stringify({ ...claims, sub: 'somebody-else' })).toString('base64url');
        const text = JSON.stringify({ ...body, id_token: `${header}.${changed}.${signature}` });
        res.setHeader('content-length', Buffer.byteLength(text));
        return end(text);
      }) as typeof res.end;
    }
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    // The person logs in and consents to what Covey asks for, as they would on the provider's pages.
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const accountId = details.session?.accountId ?? nextLogin;
      const grant = new provider.Grant({ accountId, clientId: details.params.client_id! });
      grant.addOIDCScope(details.params.scope ?? 'openid');
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
}

/** The browser's side of a sign-in: Covey's start, then the provider's redirects until they come back to Covey. */
async function startSignIn(t: TestContext, login: string, redirectTo = '/programs') {
  const start = await t.app.inject({ url: `/api/v1/auth/oidc/start?redirectTo=${encodeURIComponent(redirectTo)}` });
  expect(start.statusCode, start.body).toBe(302);
  const binding = start.cookies.find((c) => c.name === 'covey_oidc');
  expect(binding).toBeDefined();
  const authorize = new URL(start.headers.location as string);
  const jar = new Map<string, string>();
  nextLogin = login;
  let url = authorize.href;
  for (let hop = 0; hop < 10 && !url.startsWith(COVEY); hop++) {
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      const expires = attributes.find((a) => a.trim().toLowerCase().startsWith('expires='));
      if (!value || (expires && new Date(expires.split('=')[1]!).getTime() < Date.now())) jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`The provider answered ${response.status}: ${await response.text()}`);
    url = new URL(location, url).href;
  }
  expect(url.startsWith(CALLBACK)).toBe(true);
  const callback = new URL(url);
  return {
    authorize,
    binding: binding!,
    cookie: `covey_oidc=${binding!.value}`,
    /** The callback as Covey receives it (path and query). */
    path: `${callback.pathname}${callback.search}`,
    state: callback.searchParams.get('state')!,
    code: callback.searchParams.get('code')!,
    iss: callback.searchParams.get('iss'),
  };
}

function callback(t: TestContext, path: string, cookie?: string) {
  return t.app.inject({ url: path, headers: cookie ? { cookie } : {} });
}

function expectHandOff(response: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  expect(response.statusCode, response.body).toBe(303);
  const location = String(response.headers.location);
  expect(location.startsWith('/auth/sso#')).toBe(true);
  const fragment = new URLSearchParams(location.slice('/auth/sso#'.length));
  return { refreshToken: fragment.get('refreshToken')!, redirectTo: fragment.get('redirectTo') };
}

function expectRefusal(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  says: RegExp,
) {
  expect(response.statusCode, response.body).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^text\/html/);
  expect(response.body).toContain('You could not be signed in');
  expect(response.body).toMatch(says);
  expect(response.headers.location).toBeUndefined();
}

function person(sub: string, email: string, extra: Partial<Person> = {}): Person {
  const p = {
    sub,
    email,
    email_verified: true,
    preferred_username: sub,
    given_name: 'Ada',
    family_name: 'Lovelace',
    ...extra,
  };
  accounts.set(sub, p);
  return p;
}

const oidcEnv = (extra: Record<string, string> = {}) => ({
  COVEY_OIDC_ISSUER: issuer,
  COVEY_OIDC_CLIENT_ID: CLIENT_ID,
  COVEY_OIDC_CLIENT_SECRET: CLIENT_SECRET,
  COVEY_OIDC_NAME: 'Test IdP',
  COVEY_PUBLIC_URL: COVEY,
  ...extra,
});

beforeAll(startProvider);
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('OIDC sign-in, matched by e-mail, no just-in-time creation', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(oidcEnv());
  });
  afterAll(async () => t?.close());

  it('discovers the provider and redirects with state, nonce and PKCE; the browser gets an HttpOnly, SameSite=Lax cookie', async () => {
    const methods = await t.app.inject({ url: '/api/v1/auth/methods' });
    expect(methods.json().oidc).toEqual({ name: 'Test IdP', startUrl: '/api/v1/auth/oidc/start' });

    const start = await t.app.inject({ url: '/api/v1/auth/oidc/start?redirectTo=/groups' });
    expect(start.statusCode).toBe(302);
    const location = new URL(start.headers.location as string);
    expect(location.origin).toBe(issuer);
    const params = location.searchParams;
    expect(params.get('client_id')).toBe(CLIENT_ID);
    expect(params.get('redirect_uri')).toBe(CALLBACK);
    expect(params.get('response_type')).toBe('code');
    expect(params.get('scope')).toBe('openid email profile');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(params.get('nonce')).toBeTruthy();
    const state = params.get('state')!;
    const cookie = start.cookies.find((c) => c.name === 'covey_oidc')!;
    expect(cookie).toMatchObject({ value: state, httpOnly: true, sameSite: 'Lax', path: '/api/v1/auth/oidc' });

    // Only the state's hash is stored, with the nonce, the verifier and where to go, for ten minutes.
    const row = await t.db.prisma.ssoRequest.findUnique({ where: { state: sha256(state) } });
    expect(row).toMatchObject({ protocol: 'oidc', nonce: params.get('nonce'), redirectTo: '/groups', usedAt: null });
    expect(row!.codeVerifier).toBeTruthy();
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(await t.db.prisma.ssoRequest.count({ where: { state } })).toBe(0);

    // Another origin is never a place to go back to.
    const foreign = await t.app.inject({
      url: `/api/v1/auth/oidc/start?redirectTo=${encodeURIComponent('/\\evil.example')}`,
    });
    const absolute = await t.app.inject({ url: '/api/v1/auth/oidc/start?redirectTo=https://evil.example/' });
    for (const response of [foreign, absolute]) {
      expect(response.statusCode).toBe(302);
      const otherState = new URL(response.headers.location as string).searchParams.get('state')!;
      expect(
        (await t.db.prisma.ssoRequest.findUnique({ where: { state: sha256(otherState) } }))!.redirectTo,
      ).toBeNull();
    }
  });

  it('signs a known person in: 303 to /auth/sso with a refresh token that works', async () => {
    const user = await t.user('learner');
    person('known', user.email.toUpperCase());
    const flow = await startSignIn(t, 'known', '/programs?tab=mine');
    expect(flow.iss).toBe(issuer);
    const response = await callback(t, flow.path, flow.cookie);
    const handed = expectHandOff(response);
    expect(handed.redirectTo).toBe('/programs?tab=mine');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(String(response.headers['set-cookie'])).toMatch(/covey_oidc=;.*Expires=Thu, 01 Jan 1970/);

    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: handed.refreshToken },
    });
    expect(refresh.statusCode, refresh.body).toBe(200);
    const session = refresh.json();
    const me = await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(user.id);
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).not.toBeNull();
    expect(
      (await t.db.prisma.ssoRequest.findUniqueOrThrow({ where: { state: sha256(flow.state) } })).usedAt,
    ).not.toBeNull();
    // The provider's configuration is discovered once and kept.
    expect(discoveries).toBe(1);
  });

  it('refuses an unknown person (403, the page says why) and creates nobody', async () => {
    person('stranger', 'stranger@elsewhere.example');
    const flow = await startSignIn(t, 'stranger');
    expectRefusal(await callback(t, flow.path, flow.cookie), 403, /You have no Covey account yet/);
    expect(await t.db.prisma.user.count({ where: { email: 'stranger@elsewhere.example' } })).toBe(0);
  });

  it('refuses a deactivated person', async () => {
    const user = await t.user('learner', { status: 'deactivated' });
    person('gone', user.email);
    const flow = await startSignIn(t, 'gone');
    expectRefusal(await callback(t, flow.path, flow.cookie), 403, /deactivated/);
  });

  it('refuses an e-mail address the provider has not verified', async () => {
    const user = await t.user('learner');
    person('unverified', user.email, { email_verified: false });
    const flow = await startSignIn(t, 'unverified');
    expectRefusal(await callback(t, flow.path, flow.cookie), 403, /not verified your e-mail address/);
  });

  it('refuses a replayed state (the same callback twice)', async () => {
    const user = await t.user('learner');
    person('twice', user.email);
    const flow = await startSignIn(t, 'twice');
    expectHandOff(await callback(t, flow.path, flow.cookie));
    expectRefusal(await callback(t, flow.path, flow.cookie), 400, /already used/);
  });

  it('refuses a replayed code under a fresh state', async () => {
    const user = await t.user('learner');
    person('code-replay', user.email);
    const first = await startSignIn(t, 'code-replay');
    expectHandOff(await callback(t, first.path, first.cookie));
    // The same browser starts again; the old code is sent back with the new state.
    const second = await startSignIn(t, 'code-replay');
    const forged = new URLSearchParams({ code: first.code, state: second.state, iss: issuer });
    expectRefusal(
      await callback(t, `/api/v1/auth/oidc/callback?${forged.toString()}`, second.cookie),
      400,
      /would not complete this sign-in/,
    );
  });

  it("refuses a state from another browser (no cookie, or another sign-in's cookie) without spending it", async () => {
    const user = await t.user('learner');
    person('elsewhere', user.email);
    const mine = await startSignIn(t, 'elsewhere');
    const theirs = await startSignIn(t, 'elsewhere');
    expectRefusal(await callback(t, mine.path), 400, /started in another browser/);
    expectRefusal(await callback(t, mine.path, theirs.cookie), 400, /started in another browser/);
    expectRefusal(await callback(t, mine.path, 'covey_oidc=forged'), 400, /started in another browser/);
    // The browser that started it still can finish.
    expectHandOff(await callback(t, mine.path, mine.cookie));
  });

  it('refuses an ID token whose nonce is not the one this sign-in sent', async () => {
    const user = await t.user('learner');
    person('nonce', user.email);
    const flow = await startSignIn(t, 'nonce');
    await t.db.prisma.ssoRequest.update({
      where: { state: sha256(flow.state) },
      data: { nonce: 'a-nonce-covey-never-sent' },
    });
    expectRefusal(await callback(t, flow.path, flow.cookie), 400, /ID token\) did not pass Covey&#39;s checks/);
  });

  it('refuses an ID token changed after the provider signed it', async () => {
    const user = await t.user('learner');
    person('tampered', user.email);
    const flow = await startSignIn(t, 'tampered');
    tamperNextIdToken = true;
    expectRefusal(await callback(t, flow.path, flow.cookie), 400, /ID token\) did not pass Covey&#39;s checks/);
    expect(tamperNextIdToken).toBe(false);
  });

  it('refuses a PKCE verifier that does not match the challenge', async () => {
    const user = await t.user('learner');
    person('pkce', user.email);
    const flow = await startSignIn(t, 'pkce');
    await t.db.prisma.ssoRequest.update({
      where: { state: sha256(flow.state) },
      data: { codeVerifier: 'x'.repeat(43) },
    });
    expectRefusal(await callback(t, flow.path, flow.cookie), 400, /would not complete this sign-in/);
  });

  it('refuses an expired sign-in', async () => {
    const user = await t.user('learner');
    person('slow', user.email);
    const flow = await startSignIn(t, 'slow');
    await t.db.prisma.ssoRequest.update({
      where: { state: sha256(flow.state) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expectRefusal(await callback(t, flow.path, flow.cookie), 400, /expired/);
  });

  it("refuses an unknown state, and the provider's own refusal, with a page", async () => {
    expectRefusal(
      await callback(t, '/api/v1/auth/oidc/callback?code=abc&state=nobody-knows', 'covey_oidc=nobody-knows'),
      400,
      /not an answer to a sign-in Covey started/,
    );
    expectRefusal(
      await callback(t, `/api/v1/auth/oidc/callback?code=${'x'.repeat(5000)}&state=s`, 'covey_oidc=s'),
      400,
      /no usable answer/,
    );
    const start = await t.app.inject({ url: '/api/v1/auth/oidc/start' });
    const state = new URL(start.headers.location as string).searchParams.get('state')!;
    const denied = new URLSearchParams({ error: 'access_denied', error_description: '<b>Call 555</b>', state });
    const page = await callback(t, `/api/v1/auth/oidc/callback?${denied.toString()}`, `covey_oidc=${state}`);
    expectRefusal(page, 403, /did not let you sign in to Covey/);
    expect(page.body).not.toContain('555');
    expect((await t.db.prisma.ssoRequest.findUniqueOrThrow({ where: { state: sha256(state) } })).usedAt).not.toBeNull();
  });

  it('housekeeping removes sign-in requests a day past their expiry', async () => {
    const old = await t.db.prisma.ssoRequest.create({
      data: { protocol: 'oidc', state: 'old', expiresAt: new Date(Date.now() - 2 * 86_400_000) },
    });
    const recent = await t.db.prisma.ssoRequest.create({
      data: { protocol: 'oidc', state: 'recent', expiresAt: new Date(Date.now() - 60_000) },
    });
    await t.app.housekeeping();
    expect(await t.db.prisma.ssoRequest.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await t.db.prisma.ssoRequest.findUnique({ where: { id: recent.id } })).not.toBeNull();
  });
});

describe('OIDC sign-in matched by userName', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(oidcEnv({ COVEY_OIDC_MATCH: 'userName' }));
  });
  afterAll(async () => t?.close());

  it('matches preferred_username to users.userName, whatever the e-mail address', async () => {
    const user = await t.user('learner', { userName: 'jdoe' });
    person('jdoe-sub', 'another-address@idp.example', { preferred_username: 'JDoe' });
    const flow = await startSignIn(t, 'jdoe-sub');
    const handed = expectHandOff(await callback(t, flow.path, flow.cookie));
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: handed.refreshToken },
    });
    expect(refresh.statusCode).toBe(200);
    const me = await t.app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${refresh.json().accessToken}` },
    });
    expect(me.json().id).toBe(user.id);
  });

  it('does not match by e-mail address', async () => {
    const user = await t.user('learner', { userName: 'someone' });
    person('other-name', user.email, { preferred_username: 'not-someone' });
    const flow = await startSignIn(t, 'other-name');
    expectRefusal(await callback(t, flow.path, flow.cookie), 403, /no Covey account/);
  });
});

describe('OIDC sign-in with just-in-time creation', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(oidcEnv({ COVEY_OIDC_JIT: '1' }));
  });
  afterAll(async () => t?.close());

  it('creates an unknown person as a learner, with the names the provider sent', async () => {
    person('newcomer', 'Newcomer@Idp.Example', {
      preferred_username: 'NewComer',
      given_name: 'Grace',
      family_name: 'Hopper',
    });
    const flow = await startSignIn(t, 'newcomer');
    expectHandOff(await callback(t, flow.path, flow.cookie));
    const created = await t.db.prisma.user.findUniqueOrThrow({ where: { email: 'newcomer@idp.example' } });
    expect(created).toMatchObject({
      role: 'learner',
      status: 'active',
      userName: 'newcomer',
      firstName: 'Grace',
      lastName: 'Hopper',
    });

    // The next sign-in finds them; nobody is created twice.
    const again = await startSignIn(t, 'newcomer');
    expectHandOff(await callback(t, again.path, again.cookie));
    expect(await t.db.prisma.user.count({ where: { email: 'newcomer@idp.example' } })).toBe(1);
  });

  it('still refuses a deactivated person', async () => {
    const user = await t.user('learner', { status: 'deactivated' });
    person('jit-gone', user.email);
    const flow = await startSignIn(t, 'jit-gone');
    expectRefusal(await callback(t, flow.path, flow.cookie), 403, /deactivated/);
  });
});
