import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { samlAssertionBodySchema, samlStartQuerySchema } from '@covey/schema';
import { problems } from '../../lib/openapi.ts';
import { idpCertificate, samlFor, verifyResponse } from './saml.ts';
import { consume, SamlRefusal, sweep } from './saml.service.ts';
import { handOff, matchPerson, refusalPage, safePath } from './sign-in.ts';

const tags = ['auth'];
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string().max(16_384) } } });
const redirect = (description: string) => z.null().describe(description);

/** Where to go after signing in: a path of this site only (not `//host` nor `/\host`, which browsers take as hosts). */

/**
 * SAML sign-in (see README "Sign-in and single sign-on"). Its routes exist only when SAML is configured.
 */
export const samlRoutes: FastifyPluginAsyncZod = async (app) => {
  if (!app.env.COVEY_SAML_IDP_SSO_URL) return;
  if (!app.env.COVEY_SAML_IDP_CERT) {
    app.log.error('COVEY_SAML_IDP_SSO_URL is set without COVEY_SAML_IDP_CERT: SAML sign-in is off');
    return;
  }
  const cert = idpCertificate(app.env.COVEY_SAML_IDP_CERT);
  const env = app.env;

  app.get(
    '/auth/saml/metadata',
    {
      config: { public: true },
      schema: {
        operationId: 'getSamlMetadata',
        tags,
        summary: 'SAML 2.0 service provider metadata, for the identity provider (entity ID, assertion consumer service)',
        security: [],
        response: {
          200: {
            description: 'The metadata (an EntityDescriptor)',
            content: { 'application/samlmetadata+xml': { schema: z.string().max(16_384) } },
          },
        },
      },
    },
    async (request, reply) => {
      const { saml } = samlFor(app, request, cert);
      return reply
        .type('application/samlmetadata+xml')
        .header('cache-control', 'no-cache')
        .send(saml.generateServiceProviderMetadata(null));
    },
  );

  app.get(
    '/auth/saml/start',
    {
      config: { public: true },
      schema: {
        operationId: 'startSamlSignIn',
        tags,
        summary: 'Start a SAML sign-in: redirects to the identity provider with an AuthnRequest',
        security: [],
        querystring: samlStartQuerySchema,
        response: { 302: redirect('To the identity provider (HTTP-Redirect binding)'), ...problems(400) },
      },
    },
    async (request, reply) => {
      await sweep(app);
      const { saml } = samlFor(app, request, cert, safePath(request.query.redirectTo));
      const url = await saml.getAuthorizeUrlAsync('', undefined, {});
      return reply.header('cache-control', 'no-store').redirect(url, 302);
    },
  );

  app.post(
    '/auth/saml/acs',
    {
      config: { public: true },
      // A malformed post gets the refusal page, like any other refused answer.
      attachValidation: true,
      bodyLimit: 512 * 1024,
      schema: {
        operationId: 'samlAssertionConsumer',
        tags,
        summary: 'SAML assertion consumer service: the identity provider posts its answer here (HTTP-POST binding)',
        security: [],
        consumes: ['application/x-www-form-urlencoded'],
        body: samlAssertionBodySchema,
        response: {
          303: redirect('Signed in: to the web app, the session in the URL fragment'),
          400: html('Refused: an answer not verified, expired, replayed, or not answering a request of ours (a page that says why)'),
          403: html('Refused: no active Covey account for this person (a page that says why)'),
        },
      },
    },
    async (request, reply) => {
      const refused = (status: number, reason: string, detail: string) => {
        request.log.warn({ sso: 'saml', status, detail }, 'SAML sign-in refused');
        return refusalPage(app, request, reply, status, reason);
      };
      if (request.validationError) {
        return refused(400, 'The identity provider sent no usable answer.', request.validationError.message);
      }
      try {
        const assertion = await verifyResponse(app, request, cert, request.body.SAMLResponse);
        const { redirectTo } = await consume(app, assertion);
        const match = await matchPerson(app, assertion.identity, { match: env.COVEY_SAML_MATCH, jit: env.COVEY_SAML_JIT === '1', provider: 'saml' });
        if ('refused' in match) return refused(403, match.refused, `Person refused: ${JSON.stringify({ nameID: assertion.identity.userName, email: assertion.identity.email })}`);
        return handOff(app, reply, match.user, redirectTo);
      } catch (error) {
        if (error instanceof SamlRefusal) return refused(error.status, error.reason, error.detail);
        throw error;
      }
    },
  );
};
