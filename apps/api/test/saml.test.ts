import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idpCertificate } from '../src/modules/sso/saml.ts';
import { createTestContext, type TestContext } from './helpers.ts';

// An identity provider of our own: a key pair and a self-signed certificate, and another pair it does not trust.
type Signer = { key: string; cert: string };
function signer(name: string): Signer {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'covey-saml-'));
  try {
    fs.writeFileSync(path.join(dir, 'key.pem'), key);
    const cert = execFileSync('openssl', ['req', '-x509', '-key', path.join(dir, 'key.pem'), '-subj', `/CN=${name}`, '-days', '2', '-sha256'], {
      encoding: 'utf8',
    });
    return { key, cert };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const idp = signer('idp.test');
const stranger = signer('stranger.test');

const BASE = 'http://127.0.0.1:3000';
const ACS = `${BASE}/api/v1/auth/saml/acs`;
const ENTITY_ID = `${BASE}/api/v1/auth/saml/metadata`;
const ISSUER = 'https://idp.test/metadata';
const settings = {
  COVEY_SAML_IDP_SSO_URL: 'https://idp.test/sso',
  COVEY_SAML_IDP_ISSUER: ISSUER,
  COVEY_SAML_IDP_CERT: idp.cert,
  COVEY_PUBLIC_URL: BASE,
};

const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const MIN = 60_000;
const xmlText = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

type Assertion = {
  inResponseTo: string;
  nameID: string;
  nameIDFormat?: string;
  attributes?: Record<string, string>;
  audience?: string;
  recipient?: string;
  destination?: string;
  notBefore?: string;
  notOnOrAfter?: string;
  assertionId?: string;
  /** The key that signs the assertion; null: unsigned. */
  signWith?: Signer | null;
  /** Changes made to the XML after signing. */
  tamper?: (xml: string) => string;
};

/** A SAML Response as an identity provider writes it, its assertion signed (RSA-SHA256, exclusive c14n, enveloped). */
function samlResponse(a: Assertion): { xml: string; assertionId: string } {
  const assertionId = a.assertionId ?? `_a${randomBytes(16).toString('hex')}`;
  const now = iso(0);
  const notOnOrAfter = a.notOnOrAfter ?? iso(5 * MIN);
  const attributes = Object.entries(a.attributes ?? {})
    .map(([name, value]) => `<saml:Attribute Name="${xmlText(name)}"><saml:AttributeValue>${xmlText(value)}</saml:AttributeValue></saml:Attribute>`)
    .join('');
  const assertion =
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${now}">` +
    `<saml:Issuer>${ISSUER}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${a.nameIDFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'}">${xmlText(a.nameID)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData InResponseTo="${a.inResponseTo}" NotOnOrAfter="${notOnOrAfter}" Recipient="${a.recipient ?? ACS}"/>` +
    `</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${a.notBefore ?? iso(-MIN)}" NotOnOrAfter="${notOnOrAfter}">` +
    `<saml:AudienceRestriction><saml:Audience>${a.audience ?? ENTITY_ID}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${now}" SessionIndex="_s${assertionId}"><saml:AuthnContext>` +
    `<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>` +
    `</saml:AuthnContext></saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion>`;
  const key = a.signWith === undefined ? idp : a.signWith;
  let signed = assertion;
  if (key) {
    const sig = new SignedXml({
      privateKey: key.key,
      publicCert: key.cert,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    sig.addReference({
      xpath: "//*[local-name(.)='Assertion']",
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    });
    sig.computeSignature(assertion, { location: { reference: "//*[local-name(.)='Issuer']", action: 'after' } });
    signed = sig.getSignedXml();
  }
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
    `ID="_r${randomBytes(16).toString('hex')}" Version="2.0" IssueInstant="${now}" Destination="${a.destination ?? ACS}" InResponseTo="${a.inResponseTo}">` +
    `<saml:Issuer>${ISSUER}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    signed +
    `</samlp:Response>`;
  return { xml: a.tamper ? a.tamper(xml) : xml, assertionId };
}

const post = (t: TestContext, xml: string, relayState = '') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/saml/acs',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ SAMLResponse: Buffer.from(xml).toString('base64'), RelayState: relayState }).toString(),
  });

/** Starts a sign-in as a browser would, and reads the AuthnRequest the identity provider gets. */
async function start(t: TestContext, redirectTo?: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/auth/saml/start${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''}` });
  expect(res.statusCode).toBe(302);
  expect(res.body).toBe('');
  const location = new URL(res.headers.location as string);
  expect(location.origin + location.pathname).toBe('https://idp.test/sso');
  const request = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  const id = /\sID="([^"]+)"/.exec(request)![1]!;
  return { id, request };
}

/** Starts a sign-in and answers it for a person; returns the ACS response. */
async function signIn(t: TestContext, nameID: string, extra: Partial<Assertion> = {}) {
  const { id } = await start(t);
  return post(t, samlResponse({ inResponseTo: id, nameID, ...extra }).xml);
}

const refusedWith = (res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, words: RegExp) => {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.body).toContain('You could not be signed in');
  expect(res.body).toMatch(words);
};

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext(settings);
});
afterAll(async () => t?.close());

describe('SAML sign-in', () => {
  it('serves the service provider metadata: entity ID, ACS (HTTP-POST), signed assertions wanted', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/saml/metadata' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/samlmetadata\+xml/);
    expect(res.body).toContain(`entityID="${ENTITY_ID}"`);
    expect(res.body).toMatch(/<AssertionConsumerService[^>]*Binding="urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-POST"[^>]*Location="http:\/\/127\.0\.0\.1:3000\/api\/v1\/auth\/saml\/acs"/);
    expect(res.body).toContain('WantAssertionsSigned="true"');
    expect(res.body).toContain('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    // Listed among the sign-in methods.
    const methods = await t.app.inject({ method: 'GET', url: '/api/v1/auth/methods' });
    expect(methods.json().saml).toEqual({ name: 'SAML single sign-on', startUrl: '/api/v1/auth/saml/start' });
  });

  it('starts with an AuthnRequest (HTTP-Redirect) whose ID is kept, single use, for ten minutes', async () => {
    const { id, request } = await start(t, '/programs/42');
    expect(request).toContain(`AssertionConsumerServiceURL="${ACS}"`);
    expect(request).toContain(`<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${ENTITY_ID}</saml:Issuer>`);
    expect(request).toContain('Destination="https://idp.test/sso"');
    const row = await t.db.prisma.ssoRequest.findUniqueOrThrow({ where: { state: id } });
    expect(row).toMatchObject({ protocol: 'saml', redirectTo: '/programs/42', usedAt: null });
    const ttl = row.expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(9 * MIN);
    expect(ttl).toBeLessThanOrEqual(10 * MIN);
    // Only paths of this site are kept as where to go afterwards.
    for (const away of ['https://evil.test/', '//evil.test', '/\\evil.test']) {
      const other = await start(t, away);
      expect((await t.db.prisma.ssoRequest.findUniqueOrThrow({ where: { state: other.id } })).redirectTo).toBeNull();
    }
  });

  it('signs a known person in with a valid signed assertion, and the session works', async () => {
    const user = await t.user('learner');
    const { id } = await start(t, '/programs');
    const res = await post(t, samlResponse({ inResponseTo: id, nameID: user.email.toUpperCase() }).xml, 'ignored');
    expect(res.statusCode).toBe(303);
    expect(res.headers['cache-control']).toBe('no-store');
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/auth\/sso#refreshToken=/);
    const fragment = new URLSearchParams(location.split('#')[1]);
    expect(fragment.get('redirectTo')).toBe('/programs');
    const refreshed = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: fragment.get('refreshToken') } });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json().user).toMatchObject({ id: user.id, email: user.email });
    expect((await t.db.prisma.ssoRequest.findUniqueOrThrow({ where: { state: id } })).usedAt).not.toBeNull();
  });

  it('takes the e-mail address from the attributes when the NameID is no e-mail', async () => {
    const user = await t.user('learner');
    const res = await signIn(t, 'S-1-5-21-opaque', {
      nameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      attributes: { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': user.email },
    });
    expect(res.statusCode).toBe(303);
  });

  it('refuses a tampered assertion (NameID changed after signing)', async () => {
    const victim = await t.user('admin');
    const user = await t.user('learner');
    const { id } = await start(t);
    const { xml } = samlResponse({ inResponseTo: id, nameID: user.email, tamper: (x) => x.replace(user.email, victim.email) });
    refusedWith(await post(t, xml), 400, /could not be verified/);
  });

  it('refuses an unsigned assertion, and one signed by a key it does not trust', async () => {
    const user = await t.user('learner');
    refusedWith(await signIn(t, user.email, { signWith: null }), 400, /could not be verified/);
    refusedWith(await signIn(t, user.email, { signWith: stranger }), 400, /could not be verified/);
  });

  it('refuses an expired assertion and one not valid yet', async () => {
    const user = await t.user('learner');
    refusedWith(await signIn(t, user.email, { notOnOrAfter: iso(-5 * MIN) }), 400, /expired or is not valid yet/);
    refusedWith(await signIn(t, user.email, { notBefore: iso(10 * MIN) }), 400, /expired or is not valid yet/);
  });

  it('refuses another audience, another recipient and another destination', async () => {
    const user = await t.user('learner');
    refusedWith(await signIn(t, user.email, { audience: 'https://other-sp.test/metadata' }), 400, /could not be verified/);
    refusedWith(await signIn(t, user.email, { recipient: 'https://other-sp.test/acs' }), 400, /could not be verified/);
    refusedWith(await signIn(t, user.email, { destination: 'https://other-sp.test/acs' }), 400, /could not be verified/);
  });

  it('refuses an answer to an unknown request, and a second answer to a request already answered', async () => {
    const user = await t.user('learner');
    refusedWith(await post(t, samlResponse({ inResponseTo: '_unknown-request', nameID: user.email }).xml), 400, /not started here/);
    const { id } = await start(t);
    expect((await post(t, samlResponse({ inResponseTo: id, nameID: user.email }).xml)).statusCode).toBe(303);
    // A fresh assertion (another ID) for the same request.
    refusedWith(await post(t, samlResponse({ inResponseTo: id, nameID: user.email }).xml), 400, /already completed/);
  });

  it('refuses an expired request', async () => {
    const user = await t.user('learner');
    const { id } = await start(t);
    await t.db.prisma.ssoRequest.update({ where: { state: id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    refusedWith(await post(t, samlResponse({ inResponseTo: id, nameID: user.email }).xml), 400, /not started here/);
  });

  it('refuses the same assertion replayed', async () => {
    const user = await t.user('learner');
    const { id } = await start(t);
    const { xml, assertionId } = samlResponse({ inResponseTo: id, nameID: user.email });
    expect((await post(t, xml)).statusCode).toBe(303);
    expect(await t.db.prisma.samlAssertion.findUnique({ where: { id: assertionId } })).not.toBeNull();
    refusedWith(await post(t, xml), 400, /already used/);
  });

  it('lets only one of two answers posted at once through: the same assertion twice, or two for one request', async () => {
    const user = await t.user('learner');
    const first = await start(t);
    const { xml } = samlResponse({ inResponseTo: first.id, nameID: user.email });
    const same = await Promise.all([post(t, xml), post(t, xml)]);
    expect(same.map((r) => r.statusCode).sort()).toEqual([303, 400]);
    const second = await start(t);
    const both = await Promise.all([1, 2].map(() => post(t, samlResponse({ inResponseTo: second.id, nameID: user.email }).xml)));
    expect(both.map((r) => r.statusCode).sort()).toEqual([303, 400]);
  });

  it('refuses a post without a SAMLResponse, and garbage', async () => {
    const empty = await t.app.inject({ method: 'POST', url: '/api/v1/auth/saml/acs', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'RelayState=x' });
    refusedWith(empty, 400, /no usable answer/);
    refusedWith(await post(t, 'not xml at all'), 400, /could not be verified|not started here/);
  });

  it('refuses an unknown person without just-in-time creation, and a deactivated one (403, saying why)', async () => {
    refusedWith(await signIn(t, 'nobody@elsewhere.test'), 403, /no Covey account yet/);
    expect(await t.db.prisma.user.findUnique({ where: { email: 'nobody@elsewhere.test' } })).toBeNull();
    const gone = await t.user('learner', { status: 'deactivated' });
    refusedWith(await signIn(t, gone.email), 403, /deactivated/);
  });
});

describe('the identity provider certificate setting', () => {
  it('takes a PEM (newlines possibly written as \\n) or the bare base64, and refuses anything else', () => {
    const pem = idpCertificate(idp.cert);
    const base64 = idp.cert.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    expect(idpCertificate(base64)).toBe(pem);
    expect(idpCertificate(` ${base64.slice(0, 100)}\r\n${base64.slice(100)} `)).toBe(pem);
    expect(idpCertificate(idp.cert.replace(/\n/g, '\\n'))).toBe(pem);
    expect(() => idpCertificate('not a certificate')).toThrow(/COVEY_SAML_IDP_CERT/);
  });
});

describe('SAML sign-in with just-in-time creation, matched by user name', () => {
  let j: TestContext;
  beforeAll(async () => {
    j = await createTestContext({ ...settings, COVEY_SAML_JIT: '1', COVEY_SAML_MATCH: 'userName' });
  });
  afterAll(async () => j?.close());

  it('creates an unknown person as a learner, with the names sent, and signs them in', async () => {
    const res = await signIn(j, 'Ada.Lovelace', {
      nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      attributes: {
        email: 'ada@example.test',
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname': 'Ada',
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname': 'Lovelace',
      },
    });
    expect(res.statusCode).toBe(303);
    const user = await j.db.prisma.user.findUniqueOrThrow({ where: { email: 'ada@example.test' } });
    expect(user).toMatchObject({ role: 'learner', userName: 'ada.lovelace', firstName: 'Ada', lastName: 'Lovelace', status: 'active' });
    // Next time, found by the NameID.
    expect((await signIn(j, 'ada.lovelace', { nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified' })).statusCode).toBe(303);
    expect(await j.db.prisma.user.count({ where: { email: 'ada@example.test' } })).toBe(1);
  });

  it('asks for an unspecified NameID format when matching by user name', async () => {
    const { request } = await start(j);
    expect(request).toContain('Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"');
  });
});
