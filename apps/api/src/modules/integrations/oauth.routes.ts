import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { oauthErrorSchema, tokenRequestSchema, tokenResponseSchema, type OAuthErrorCode } from '@covey/schema';
import { problems } from '../../lib/openapi.ts';
import { clientsService } from './clients.service.ts';

const TOKEN_TTL = 3600;

/**
 * RFC 6749 section 5.2: token errors are application/json `{error, error_description}`; 401 invalid_client carries
 * WWW-Authenticate (RFC 6749 section 5.2, RFC 7617).
 */
function oauthError(reply: FastifyReply, status: 400 | 401, error: OAuthErrorCode, description: string) {
  if (status === 401) reply.header('www-authenticate', 'Basic realm="covey", charset="UTF-8"');
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type('application/json')
    .serializer(JSON.stringify)
    .send({ error, error_description: description });
}

/** `Authorization: Basic` client credentials (RFC 6749 section 2.3.1: form-encoded id and secret), or null. */
function basicCredentials(header: string | undefined): { clientId: string; secret: string } | null | 'malformed' {
  if (!header?.toLowerCase().startsWith('basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return 'malformed';
  try {
    const formDecode = (v: string) => decodeURIComponent(v.replace(/\+/g, ' '));
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

const oauthErrorResponse = (description: string) => ({ description, content: { 'application/json': { schema: oauthErrorSchema } } });

/** OAuth 2.0 client credentials grant (RFC 6749 section 4.4): a one-hour bearer token carrying the granted scopes. */
export const oauthRoutes: FastifyPluginAsyncZod = async (app) => {
  const clients = clientsService(app);
  app.post(
    '/oauth/token',
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute', allowList: () => false } },
      schema: {
        operationId: 'issueToken',
        tags: ['integrations'],
        summary: 'Get an access token for an integration client (grant_type=client_credentials)',
        description:
          'The OAuth 2.0 client credentials grant: an integration client trades its id and secret (in the body or HTTP Basic) for a one-hour access token with the scopes it asks among those granted. Errors follow RFC 6749 (400, 401).',
        security: [],
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        body: tokenRequestSchema,
        response: {
          200: tokenResponseSchema,
          400: oauthErrorResponse('invalid_request, unsupported_grant_type or invalid_scope (RFC 6749 section 5.2)'),
          401: oauthErrorResponse('invalid_client: unknown client, wrong secret or revoked client (RFC 6749 section 5.2)'),
          ...problems(429),
        },
      },
      // Whatever is wrong with the request itself (its media type, its encoding, a field too long) is invalid_request.
      errorHandler: (error, _request, reply) => {
        const status = (error as { statusCode?: number }).statusCode ?? 500;
        if (status < 400 || status >= 500 || status === 429) throw error;
        void oauthError(reply, 400, 'invalid_request', error.message.slice(0, 500));
      },
    },
    async (request, reply) => {
      const { grant_type: grantType, client_id: bodyId, client_secret: bodySecret } = request.body;
      if (!grantType) return oauthError(reply, 400, 'invalid_request', 'grant_type is missing: send grant_type=client_credentials.');
      if (grantType !== 'client_credentials') return oauthError(reply, 400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
      const basic = basicCredentials(request.headers.authorization);
      if (basic === 'malformed') return oauthError(reply, 401, 'invalid_client', 'The HTTP Basic credentials are malformed.');
      // RFC 6749 section 2.3: a client uses one authentication method per request.
      if (basic && (bodySecret !== undefined || (bodyId !== undefined && bodyId !== basic.clientId)))
        return oauthError(reply, 400, 'invalid_request', 'Send the client credentials either in HTTP Basic or in the body, not both.');
      const clientId = basic?.clientId ?? bodyId;
      const secret = basic?.secret ?? bodySecret;
      if (!clientId || !secret) return oauthError(reply, 401, 'invalid_client', 'Send client_id and client_secret (body or HTTP Basic).');
      if (clientId.includes('\u0000') || secret.includes('\u0000')) return oauthError(reply, 401, 'invalid_client', 'Unknown client, wrong secret, or revoked client.');
      const client = await clients.authenticate(clientId, secret);
      if (!client) return oauthError(reply, 401, 'invalid_client', 'Unknown client, wrong secret, or revoked client.');
      const requested = request.body.scope?.split(/\s+/).filter(Boolean) ?? client.scopes;
      const outside = requested.filter((s) => !client.scopes.includes(s));
      if (outside.length) return oauthError(reply, 400, 'invalid_scope', `Not granted to this client: ${outside.join(' ')}.`);
      const scope = requested.join(' ');
      await clients.touch(client.id);
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
