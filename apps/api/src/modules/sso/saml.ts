import { X509Certificate } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { SAML, SamlStatusError, ValidateInResponseTo, type Profile } from '@node-saml/node-saml';
import { parseXml2JsFromString } from '@node-saml/node-saml/lib/xml.js';
import type { Deps } from '../../lib/deps.ts';
import { publicUrl } from '../../lib/public-url.ts';
import { refuse, requestStore, SAML_REQUEST_TTL_MS } from './saml.service.ts';
import type { SsoIdentity } from './sign-in.ts';

/** The clock difference tolerated between Covey and the identity provider. */
export const SAML_CLOCK_SKEW_MS = 60 * 1000;

const NAMEID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

export const samlPaths = { metadata: '/api/v1/auth/saml/metadata', acs: '/api/v1/auth/saml/acs' };

/**
 * The identity provider's signing certificate as PEM: COVEY_SAML_IDP_CERT holds a PEM (its newlines possibly written
 * as `\n`) or the bare base64 of the certificate, as identity providers show it. Throws when it is no certificate.
 */
export function idpCertificate(value: string): string {
  const text = value.replace(/\\n/g, '\n').trim();
  const body = text.includes('-----BEGIN') ? text.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '') : text;
  const base64 = body.replace(/\s+/g, '');
  const pem = `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
  } catch {
    throw new Error('COVEY_SAML_IDP_CERT is not an X.509 certificate (PEM, or its base64)');
  }
  return pem;
}

/** Our side of the trust: the entity ID and the assertion consumer service URL, for the URL Covey is reached at. */
export function serviceProvider(app: Deps<'env'>, request: FastifyRequest) {
  const base = publicUrl(app, request);
  return { entityId: app.env.COVEY_SAML_SP_ENTITY_ID ?? `${base}${samlPaths.metadata}`, acsUrl: `${base}${samlPaths.acs}` };
}

/** node-saml for one request, with the settings Covey uses. */
export function samlFor(app: Deps<'db' | 'env'>, request: FastifyRequest, cert: string, redirectTo: string | null = null) {
  const env = app.env;
  const sp = serviceProvider(app, request);
  const saml = new SAML({
    entryPoint: env.COVEY_SAML_IDP_SSO_URL,
    issuer: sp.entityId,
    audience: sp.entityId,
    callbackUrl: sp.acsUrl,
    idpCert: cert,
    idpIssuer: env.COVEY_SAML_IDP_ISSUER,
    identifierFormat: env.COVEY_SAML_MATCH === 'email' ? NAMEID_EMAIL : NAMEID_UNSPECIFIED,
    // Asking for password-protected transport would refuse people who sign in with MFA, a passkey or Kerberos.
    disableRequestedAuthnContext: true,
    wantAssertionsSigned: true,
    // The assertion's signature is what counts; many providers leave the envelope unsigned.
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: SAML_REQUEST_TTL_MS,
    cacheProvider: requestStore(app, redirectTo),
  });
  return { saml, sp };
}

type XmlJs = { $?: Record<string, string | undefined>; _?: string; [child: string]: unknown };
const children = (node: XmlJs | undefined, name: string): XmlJs[] => {
  const value = node?.[name];
  return Array.isArray(value) ? (value as XmlJs[]) : [];
};
const attr = (node: XmlJs | undefined, name: string) => node?.$?.[name];
const ms = (instant: string | undefined) => {
  const value = instant ? Date.parse(instant) : NaN;
  return Number.isNaN(value) ? null : value;
};

export type VerifiedAssertion = { id: string; requestId: string; expiresAt: Date; identity: SsoIdentity };

/**
 * Verifies a SAMLResponse (base64) as an answer to one of our requests and returns what it vouches for. node-saml
 * checks the signature of the assertion (required, by the configured certificate), InResponseTo against the open
 * requests, the validity window and the audience; the rest is checked here on the signed assertion: its ID, issuer,
 * a bearer confirmation for our ACS URL answering the same request, and the Destination of the response.
 */
export async function verifyResponse(app: Deps<'db' | 'env'>, request: FastifyRequest, cert: string, samlResponse: string): Promise<VerifiedAssertion> {
  const { saml, sp } = samlFor(app, request, cert);
  let profile: Profile | null;
  try {
    ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof SamlStatusError) throw refuse('status', message);
    if (/InResponseTo/i.test(message)) throw refuse('request', message);
    if (/expired|not yet valid|subject confirmation/i.test(message)) throw refuse('time', message);
    throw refuse('invalid', message);
  }
  if (!profile) throw refuse('invalid', 'No assertion in the response');

  const response = (await parseXml2JsFromString(profile.getSamlResponseXml?.() ?? '')).Response as XmlJs | undefined;
  const destination = attr(response, 'Destination');
  if (destination && destination !== sp.acsUrl) throw refuse('invalid', `Response Destination ${destination} is not ${sp.acsUrl}`);
  const requestId = typeof profile.inResponseTo === 'string' ? profile.inResponseTo : null;
  if (!requestId) throw refuse('request', 'The response answers no request');

  const assertion = (profile.getAssertion?.() as { Assertion?: XmlJs } | undefined)?.Assertion;
  const id = attr(assertion, 'ID');
  if (!assertion || !id) throw refuse('invalid', 'The signed assertion has no ID');
  const issuer = children(assertion, 'Issuer')[0]?._;
  if (app.env.COVEY_SAML_IDP_ISSUER && issuer !== app.env.COVEY_SAML_IDP_ISSUER) {
    throw refuse('invalid', `Assertion Issuer ${issuer ?? '(none)'} is not ${app.env.COVEY_SAML_IDP_ISSUER}`);
  }

  // Web Browser SSO profile: a bearer confirmation, for our ACS, answering this request, with an expiry not passed.
  const now = Date.now();
  const confirmations = children(children(assertion, 'Subject')[0], 'SubjectConfirmation')
    .filter((c) => attr(c, 'Method') === BEARER)
    .map((c) => children(c, 'SubjectConfirmationData')[0]);
  const confirmation = confirmations.find((data) => attr(data, 'Recipient') === sp.acsUrl && attr(data, 'InResponseTo') === requestId);
  if (!confirmation) {
    const recipients = confirmations.map((data) => attr(data, 'Recipient') ?? '(none)').join(', ') || '(no bearer confirmation)';
    throw refuse('invalid', `No bearer subject confirmation for ${sp.acsUrl} answering ${requestId}; recipients: ${recipients}`);
  }
  const notOnOrAfter = ms(attr(confirmation, 'NotOnOrAfter'));
  if (notOnOrAfter === null) throw refuse('invalid', 'The subject confirmation has no NotOnOrAfter');
  if (now - SAML_CLOCK_SKEW_MS >= notOnOrAfter) throw refuse('time', 'The subject confirmation expired');
  const notBefore = ms(attr(confirmation, 'NotBefore'));
  if (notBefore !== null && now + SAML_CLOCK_SKEW_MS < notBefore) throw refuse('time', 'The subject confirmation is not valid yet');

  // Kept until nothing could accept the assertion any longer: its latest expiry, with the clock skew.
  const conditionsEnd = ms(attr(children(assertion, 'Conditions')[0], 'NotOnOrAfter')) ?? 0;
  const expiresAt = new Date(Math.max(notOnOrAfter, conditionsEnd) + SAML_CLOCK_SKEW_MS);
  return { id, requestId, expiresAt, identity: identityOf(profile) };
}

const EMAIL_ATTRIBUTES = ['email', 'mail', 'emailAddress', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', 'urn:oid:0.9.2342.19200300.100.1.3'];
const FIRST_NAME_ATTRIBUTES = ['firstName', 'givenName', 'given_name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', 'urn:oid:2.5.4.42'];
const LAST_NAME_ATTRIBUTES = ['lastName', 'surname', 'sn', 'family_name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname', 'urn:oid:2.5.4.4'];

function firstString(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstString(item);
      if (found) return found;
    }
  }
  return null;
}

const isEmail = (value: string | null): value is string => !!value && value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

/**
 * Who the assertion is about: the e-mail address from an e-mail attribute (email, mail, the WS-Federation claim, the
 * mail OID), else from the NameID when its format is emailAddress; the userName is the NameID; names from the usual
 * attributes.
 */
export function identityOf(profile: Profile): SsoIdentity {
  const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
  const pick = (names: string[]) => names.map((name) => firstString(attributes[name])).find((value) => value) ?? null;
  const nameID = typeof profile.nameID === 'string' ? profile.nameID.trim() : null;
  const attributeEmail = pick(EMAIL_ATTRIBUTES);
  const nameIdEmail = profile.nameIDFormat === NAMEID_EMAIL ? nameID : null;
  const email = [attributeEmail, nameIdEmail].find(isEmail) ?? null;
  return { email, userName: nameID || null, firstName: pick(FIRST_NAME_ATTRIBUTES), lastName: pick(LAST_NAME_ATTRIBUTES) };
}

