import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A test OpenID Provider for the single sign-on spec: `oidc-provider` (a dev dependency of the API, resolved from
 * there) on a fixed port, with one confidential client for Covey, and a sign-in page where anyone is whoever they
 * type (an e-mail address): the provider vouches for that address, with first and last names made from it.
 */
export const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 3190);
export const OIDC_ISSUER = `http://127.0.0.1:${OIDC_PORT}`;
export const OIDC_CLIENT_ID = 'covey-e2e';
export const OIDC_CLIENT_SECRET = 'covey-e2e-client-secret-0123456789';
export const OIDC_NAME = 'Covey Test ID';

type Interaction = { params: { client_id?: string; scope?: string }; session?: { accountId?: string } };
type GrantInstance = { addOIDCScope: (scope: string) => void; save: () => Promise<string> };
type ProviderInstance = {
  callback: () => (req: http.IncomingMessage, res: http.ServerResponse) => void;
  interactionDetails: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<Interaction>;
  interactionFinished: (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    result: Record<string, unknown>,
    options: { mergeWithLastSubmission: boolean },
  ) => Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => GrantInstance;
};
type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;

async function loadProvider(): Promise<ProviderClass> {
  const fromApi = createRequire(path.join(import.meta.dirname, '..', '..', '..', 'apps', 'api', 'package.json'));
  const module = (await import(pathToFileURL(fromApi.resolve('oidc-provider')).href)) as { default: ProviderClass };
  return module.default;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function signInPage(uid: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · ${OIDC_NAME}</title></head>
<body><main><h1>${OIDC_NAME}</h1>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="email">Work e-mail</label> <input id="email" name="email" type="email" required autocomplete="username">
<button type="submit">Continue</button></form></main></body></html>`;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const claimsOf = (email: string) => {
  const local = email.split('@')[0] ?? email;
  return {
    sub: email,
    email,
    email_verified: true,
    preferred_username: local,
    given_name: local.charAt(0).toUpperCase() + local.slice(1),
    family_name: 'Tester',
  };
};

/**
 * Starts the provider; Covey's callback on each base URL given is a registered redirect URI. Resolves to a function
 * that stops it, or to null when the port is taken (another run's provider: the same client, so it serves as well).
 */
export async function startTestProvider(coveyBaseUrls: string[]): Promise<(() => Promise<void>) | null> {
  const Provider = await loadProvider();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(OIDC_ISSUER, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: coveyBaseUrls.map((base) => `${new URL(base).origin}/api/v1/auth/oidc/callback`),
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'e2e-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['covey-e2e-oidc-cookie-key'] },
    // Short lives, said explicitly (the provider otherwise notices each default it falls back to).
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    features: { devInteractions: { enabled: false } },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['preferred_username', 'given_name', 'family_name'],
    },
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => claimsOf(sub) }),
  });
  const handle = provider.callback();

  const server = http.createServer((req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url ?? '');
    if (!match) return handle(req, res);
    void (async () => {
      if (req.method === 'GET') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(signInPage(match[1]!));
        return;
      }
      const email = (await readForm(req)).get('email')?.trim().toLowerCase() ?? '';
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: email, clientId: details.params.client_id! });
      grant.addOIDCScope(details.params.scope ?? 'openid');
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: email }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });

  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(OIDC_PORT, '127.0.0.1', () => resolve(true));
  });
  if (!listening) return null;
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
