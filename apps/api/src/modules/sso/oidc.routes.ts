import { timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { oidcCallbackQuerySchema, oidcStartQuerySchema } from '@covey/schema';
import { publicUrl } from '../../lib/public-url.ts';
import { sha256 } from '../../lib/tokens.ts';
import { OIDC_SCOPES, describeError, identityOf, oidcProvider, unreachable } from './oidc.client.ts';
import { oidcService, REQUEST_TTL_MS } from './oidc.service.ts';
import { handOff, refusalPage, safePath } from './sign-in.ts';

/** The cookie that binds the browser to the sign-in it started: it holds the `state` sent to the provider. */
const COOKIE = 'covey_oidc';
const COOKIE_PATH = '/api/v1/auth/oidc';

const tags = ['auth'];
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string().max(10_000) } } });
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(sha256(a), 'hex'), Buffer.from(sha256(b), 'hex'));
}

/**
 * OIDC sign-in (see README "Sign-in and single sign-on"): the authorization code flow with PKCE, state and nonce. Its
 * routes exist only when OIDC is configured.
 */
export const oidcRoutes: FastifyPluginAsyncZod = async (app) => {
  if (!app.env.COVEY_OIDC_ISSUER) return;
  if (!app.env.COVEY_OIDC_CLIENT_ID) {
    app.log.error('COVEY_OIDC_ISSUER is set but COVEY_OIDC_CLIENT_ID is not: OpenID Connect sign-in is off');
    return;
  }
  await app.register(cookie);
  const requests = oidcService(app);
  const provider = oidcProvider(app.env);
  const settings = { match: app.env.COVEY_OIDC_MATCH, jit: app.env.COVEY_OIDC_JIT === '1', provider: 'oidc' as const };
  const callbackUrl = (request: Parameters<typeof publicUrl>[1]) =>
    `${publicUrl(app, request)}/api/v1/auth/oidc/callback`;
  const unavailable = 'The identity provider cannot be reached right now. Try again in a moment.';

  app.get(
    '/auth/oidc/start',
    {
      config: { public: true },
      schema: {
        operationId: 'startOidcSignIn',
        tags,
        summary: 'Start signing in with OpenID Connect: redirects to the identity provider',
        description:
          "Creates a sign-in request (state, nonce, PKCE verifier; ten minutes, single use), binds this browser to it with an HttpOnly cookie, and redirects to the provider's authorization endpoint (scopes openid email profile).",
        security: [],
        querystring: oidcStartQuerySchema,
        response: {
          302: z.null().describe('To the identity provider (sets the cookie that binds this browser to the sign-in)'),
          503: html('The identity provider cannot be reached (a page that says so)'),
        },
      },
    },
    async (request, reply) => {
      let config: oidc.Configuration;
      try {
        config = await provider.configuration();
      } catch (error) {
        request.log.warn({ oidc: describeError(error) }, 'OIDC discovery failed');
        return refusalPage(app, request, reply, 503, unavailable);
      }
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      await requests.start({ state, nonce, codeVerifier, redirectTo: safePath(request.query.redirectTo) });
      const redirectUri = callbackUrl(request);
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: OIDC_SCOPES,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      reply.setCookie(COOKIE, state, {
        path: COOKIE_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: redirectUri.startsWith('https:'),
        maxAge: REQUEST_TTL_MS / 1000,
      });
      return reply.header('cache-control', 'no-store').redirect(url.href, 302);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      config: { public: true },
      // A malformed answer gets the refusal page, like any other refused one.
      attachValidation: true,
      schema: {
        operationId: 'oidcCallback',
        tags,
        summary: 'Where the identity provider returns: signs the person in and hands the session to the web app',
        description:
          "Checks the state against this browser's cookie and claims the sign-in once, exchanges the code (PKCE), checks the ID token (issuer, audience, signature, expiry, nonce), then matches the person (COVEY_OIDC_MATCH) or creates them (COVEY_OIDC_JIT). A refusal is a page that says why.",
        security: [],
        querystring: oidcCallbackQuerySchema,
        response: {
          303: z.null().describe('Signed in: to /auth/sso, the refresh token in the fragment'),
          400: html(
            'A bad, replayed, expired or foreign sign-in answer, or failed token checks (a page that says why)',
          ),
          403: html('The provider or Covey refused the person (a page that says why)'),
          503: html('The identity provider cannot be reached (a page that says so)'),
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const browserState = request.cookies[COOKIE];
      reply.clearCookie(COOKIE, { path: COOKIE_PATH });
      const refuse = (status: number, reason: string, log?: Record<string, unknown>) => {
        request.log.warn({ oidc: { status, reason, ...log } }, 'OIDC sign-in refused');
        return refusalPage(app, request, reply, status, reason);
      };
      if (request.validationError) {
        return refuse(400, 'The identity provider sent no usable answer. Start again from the sign-in page.', {
          validation: request.validationError.message,
        });
      }
      const providerError = () => {
        const code = query.error && /^[a-z_]{1,60}$/.test(query.error) ? query.error : 'unknown';
        const log = { providerError: query.error, providerErrorDescription: query.error_description };
        if (code === 'access_denied')
          return refuse(403, 'The identity provider did not let you sign in to Covey, or you declined.', log);
        return refuse(
          400,
          `The identity provider answered with an error (${code}). Start again from the sign-in page.`,
          log,
        );
      };

      if (!query.state)
        return query.error ? providerError() : refuse(400, 'This is not an answer to a sign-in Covey started.');
      if (!browserState || !sameSecret(browserState, query.state)) {
        return refuse(
          400,
          'This sign-in was started in another browser, or your browser did not keep its cookie. Start again from the sign-in page.',
        );
      }

      // Single use, atomically: of two requests with the same state, one wins.
      const claim = await requests.claim(query.state);
      if ('refused' in claim) return refuse(400, claim.refused);
      const { claimed } = claim;
      if (query.error) return providerError();
      if (!query.code || !claimed.nonce || !claimed.codeVerifier)
        return refuse(400, 'The identity provider sent no authorization code.');

      let config: oidc.Configuration;
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        config = await provider.configuration();
        const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        tokens = await oidc.authorizationCodeGrant(config, new URL(callbackUrl(request) + search), {
          pkceCodeVerifier: claimed.codeVerifier,
          expectedState: query.state,
          expectedNonce: claimed.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        const log = { error: describeError(error) };
        if (unreachable(error)) return refuse(503, unavailable, log);
        if (error instanceof oidc.ResponseBodyError) {
          // The token endpoint refused the code: already used, expired, or not bound to this verifier (PKCE).
          return refuse(
            400,
            "The identity provider would not complete this sign-in: its code was used already, or is not this sign-in's. Start again from the sign-in page.",
            log,
          );
        }
        return refuse(
          400,
          "The identity provider's answer (its ID token) did not pass Covey's checks. Start again from the sign-in page.",
          log,
        );
      }

      const identity = await identityOf(config, tokens, settings, request.log);
      if (identity.emailVerified === false) {
        if (settings.match === 'email')
          return refuse(403, 'The identity provider has not verified your e-mail address.');
        identity.email = null;
      }
      const match = await requests.match(identity, settings);
      if ('refused' in match) return refuse(403, match.refused);
      return handOff(app, reply, match.user, claimed.redirectTo);
    },
  );
};
