import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { int32 } from '@covey/schema';
import { problems } from '../../lib/openapi.ts';
import { sha256 } from '../../lib/tokens.ts';
import { sendProblem } from '../../plugins/errors.ts';

const TOKEN_TTL = 3600;

const tokenBody = z
  .object({
    grant_type: z.string().max(100).optional(),
    client_id: z.string().max(200).optional(),
    client_secret: z.string().max(500).optional(),
    scope: z.string().max(500).optional(),
  })
  .describe('application/x-www-form-urlencoded or JSON (RFC 6749 section 4.4); client credentials in the body or HTTP Basic');

/** OAuth 2.0 client credentials grant (RFC 6749 section 4.4): a one-hour bearer token carrying the granted scopes. */
export const oauthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/oauth/token',
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute', allowList: () => false } },
      schema: {
        operationId: 'issueToken',
        tags: ['integrations'],
        summary: 'Get an access token for an integration client (grant_type=client_credentials)',
        security: [],
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        body: tokenBody,
        response: {
          200: z.object({
            access_token: z.string().max(4096).regex(/^[\w-]+\.[\w-]+\.[\w-]+$/).describe('A JWT (RFC 7519)'),
            token_type: z.literal('Bearer'),
            expires_in: int32(0, TOKEN_TTL),
            scope: z.string().max(500).describe('The granted scopes, space-separated'),
          }),
          ...problems(400, 401, 429),
        },
      },
    },
    async (request, reply) => {
      // RFC 6749 errors carry `error` (+ `error_description`) next to the problem details fields.
      const oauthError = (status: number, error: string, description: string) => {
        if (status === 401) reply.header('www-authenticate', 'Basic realm="covey"');
        reply.header('cache-control', 'no-store');
        return sendProblem(request, reply, status, error, description, undefined, { error, error_description: description });
      };
      let { client_id: clientId, client_secret: secret } = request.body;
      const basic = request.headers.authorization;
      if (basic?.startsWith('Basic ')) {
        const decoded = Buffer.from(basic.slice(6), 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0) {
          clientId = decodeURIComponent(decoded.slice(0, colon));
          secret = decodeURIComponent(decoded.slice(colon + 1));
        }
      }
      if (request.body.grant_type !== 'client_credentials')
        return oauthError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
      if (!clientId || !secret) return oauthError(401, 'invalid_client', 'Send client_id and client_secret (body or HTTP Basic).');
      const client = await app.db.prisma.integrationClient.findUnique({ where: { clientId } });
      const valid = client && !client.revokedAt && timingSafeEqual(Buffer.from(sha256(secret), 'hex'), Buffer.from(client.secretHash, 'hex'));
      if (!client || !valid) return oauthError(401, 'invalid_client', 'Unknown client, wrong secret, or revoked client.');
      const requested = request.body.scope?.split(/\s+/).filter(Boolean) ?? client.scopes;
      const outside = requested.filter((s) => !client.scopes.includes(s));
      if (outside.length) return oauthError(400, 'invalid_scope', `Not granted to this client: ${outside.join(' ')}.`);
      const scope = requested.join(' ');
      await app.db.prisma.integrationClient.update({ where: { id: client.id }, data: { lastUsedAt: new Date() } });
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      return {
        access_token: app.jwt.sign({ typ: 'client', sub: client.id, cid: client.clientId, scope }, { expiresIn: TOKEN_TTL }),
        token_type: 'Bearer' as const,
        expires_in: TOKEN_TTL,
        scope,
      };
    },
  );
};
