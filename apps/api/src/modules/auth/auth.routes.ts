import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loginBodySchema, refreshBodySchema, sessionSchema, signInMethodsSchema } from '@covey/schema';
import { z } from 'zod';
import { problems } from '../../lib/openapi.ts';
import { authService } from './auth.service.ts';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = authService(app);

  app.get(
    '/auth/methods',
    {
      config: { public: true },
      schema: {
        operationId: 'getSignInMethods',
        tags: ['auth'],
        security: [],
        summary: 'How people sign in here: passwords, OpenID Connect, SAML (for the sign-in page)',
        description:
          'Tells the sign-in page which ways to sign in this workspace offers: passwords, and the OpenID Connect and SAML providers configured. Needs no session.',
        response: { 200: signInMethodsSchema },
      },
    },
    async () => {
      const env = app.env;
      const oidc = env.COVEY_OIDC_ISSUER && env.COVEY_OIDC_CLIENT_ID;
      const saml = env.COVEY_SAML_IDP_SSO_URL && env.COVEY_SAML_IDP_CERT;
      return {
        password: env.COVEY_SSO_ONLY !== '1',
        oidc: oidc ? { name: env.COVEY_OIDC_NAME, startUrl: '/api/v1/auth/oidc/start' } : null,
        saml: saml ? { name: env.COVEY_SAML_NAME, startUrl: '/api/v1/auth/saml/start' } : null,
      };
    },
  );

  app.post(
    '/auth/login',
    {
      config: {
        public: true,
        rateLimit: {
          max: app.env.LOGIN_RATE_LIMIT,
          timeWindow: '1 minute',
          hook: 'preHandler',
          allowList: () => false,
          keyGenerator: (request) => {
            const email = (request.body as { email?: unknown } | undefined)?.email;
            return `${request.ip}:${typeof email === 'string' ? email.toLowerCase() : ''}`;
          },
        },
      },
      schema: {
        operationId: 'login',
        tags: ['auth'],
        summary: 'Sign in with e-mail and password',
        description:
          'Checks an e-mail and password and opens a session: a short-lived access token and a rotating refresh token. Wrong credentials answer 401 (the same for an unknown address); attempts are rate-limited per IP address and per account.',
        security: [],
        body: loginBodySchema,
        response: { 200: sessionSchema, ...problems(400, 401, 403, 429) },
      },
    },
    async (request) => auth.login(request.body.email, request.body.password),
  );

  app.post(
    '/auth/refresh',
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute', allowList: () => false } },
      schema: {
        operationId: 'refreshSession',
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new session (the token rotates)',
        description:
          'Trades a refresh token for a new access token and a new refresh token; the old one stops working. Reusing a spent refresh token revokes the whole session (401).',
        security: [],
        body: refreshBodySchema,
        response: { 200: sessionSchema, ...problems(400, 401, 429) },
      },
    },
    async (request) => auth.refresh(request.body.refreshToken),
  );

  app.post(
    '/auth/logout',
    {
      config: { public: true },
      schema: {
        operationId: 'logout',
        tags: ['auth'],
        summary: 'Revoke a refresh token and its whole session',
        description:
          'Revokes the refresh token in the body and every token of its session. Needs no access token; an unknown or spent token answers 400.',
        security: [],
        body: refreshBodySchema,
        response: { 204: z.null().describe('Signed out'), ...problems(400) },
      },
    },
    async (request, reply) => {
      await auth.logout(request.body.refreshToken);
      return reply.code(204).send(null);
    },
  );
};
