import type { FastifyBaseLogger } from 'fastify';
import * as oidc from 'openid-client';
import type { Env } from '../../env.ts';
import type { SsoIdentity } from './sign-in.ts';

/** What Covey asks the provider for: who the person is, their e-mail address, their names. */
export const OIDC_SCOPES = 'openid email profile';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The client's way of authenticating at the token endpoint: client_secret_basic when the provider offers it (the
 * default of the specification when it says nothing), else client_secret_post; a public client (no secret) sends
 * none, PKCE alone binding the code to the browser that started the sign-in.
 */
function clientAuth(secret: string | undefined): oidc.ClientAuth {
  if (!secret) return oidc.None();
  const basic = oidc.ClientSecretBasic(secret);
  const post = oidc.ClientSecretPost(secret);
  return (as, client, body, headers) => {
    const methods = as.token_endpoint_auth_methods_supported;
    const useBasic = !methods || methods.includes('client_secret_basic') || !methods.includes('client_secret_post');
    (useBasic ? basic : post)(as, client, body, headers);
  };
}

/**
 * The provider's configuration, discovered at first use (not at start-up, so Covey starts while the provider is down)
 * and kept; a failed discovery is forgotten, so the next sign-in tries again. Plain http is accepted only for a
 * provider on this machine, or outside production. ID token signatures are verified with the provider's keys.
 */
export function oidcProvider(env: Env) {
  const issuer = new URL(env.COVEY_OIDC_ISSUER!);
  const insecure = issuer.protocol === 'http:' && (env.NODE_ENV !== 'production' || LOOPBACK.has(issuer.hostname));
  let pending: Promise<oidc.Configuration> | undefined;
  return {
    configuration(): Promise<oidc.Configuration> {
      const discover = () =>
        oidc.discovery(issuer, env.COVEY_OIDC_CLIENT_ID!, undefined, clientAuth(env.COVEY_OIDC_CLIENT_SECRET), {
          // The ID token's signature is checked too (against the provider's JWKS), not only the TLS connection.
          execute: insecure
            ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks]
            : [oidc.enableNonRepudiationChecks],
          timeout: 10,
        });
      // Once more after a failed connection (a kept-alive socket the provider had just closed, say): it is a GET.
      pending ??= discover()
        .catch((error: unknown) => {
          if (unreachable(error)) return discover();
          throw error;
        })
        .catch((error: unknown) => {
          pending = undefined;
          throw error;
        });
      return pending;
    },
  };
}

/** Whether an error means the provider could not be reached (rather than that it refused, or sent something wrong). */
export function unreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return true;
  // fetch() fails with a TypeError ("fetch failed") when the connection does; openid-client passes it through.
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}

/** What may be logged of an openid-client error: its kind and message, never its cause (claims) nor any token. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const e = error as Error & { code?: unknown; error?: unknown; error_description?: unknown; status?: unknown };
  return {
    name: e.name,
    code: e.code,
    message: e.message,
    oauthError: e.error,
    oauthErrorDescription: e.error_description,
    status: e.status,
  };
}

const text = (value: unknown, max: number) =>
  typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : null;

/** The claims Covey reads, from the ID token, completed by the UserInfo endpoint when one it needs is missing. */
export async function identityOf(
  config: oidc.Configuration,
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
  needs: { match: 'email' | 'userName'; jit: boolean },
  log: FastifyBaseLogger,
): Promise<SsoIdentity & { emailVerified: boolean | null }> {
  const idToken = tokens.claims();
  if (!idToken) throw new Error('The token response has no ID token');
  let claims: Record<string, unknown> = { ...idToken };
  const missing = (name: string) => text(claims[name], 1) === null;
  const wanted = needs.match === 'email' ? ['email'] : ['preferred_username'];
  if (needs.jit) wanted.push('email', 'given_name', 'family_name');
  if (wanted.some(missing) && config.serverMetadata().userinfo_endpoint) {
    try {
      // The UserInfo answer must be about the ID token's subject (openid-client checks `sub`).
      const userInfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
      claims = { ...userInfo, ...claims };
    } catch (error) {
      log.warn({ oidc: describeError(error) }, 'OIDC UserInfo request failed; going on with the ID token claims');
    }
  }
  const verified = claims.email_verified;
  return {
    email: text(claims.email, 320),
    emailVerified:
      verified === true || verified === 'true' ? true : verified === false || verified === 'false' ? false : null,
    userName: text(claims.preferred_username, 320),
    firstName: text(claims.given_name, 200) ?? text(claims.name, 200),
    lastName: text(claims.family_name, 200),
  };
}
