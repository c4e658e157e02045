import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Prisma } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/errors.ts';
import { sha256 } from '../../lib/tokens.ts';
import { scimGroupsRoutes } from './groups.routes.ts';
import { SCIM_TYPE, send, type ScimCaller } from './resource.ts';
import { ScimError } from './scim-error.ts';
import { resourceTypesDocument, schemasDocument, serviceProviderConfig, URN } from './schemas.ts';
import { scimUsersRoutes } from './users.routes.ts';
import { publicUrl } from '../../lib/public-url.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The SCIM token behind a /scim/v2 request. */
    scim: ScimCaller | null;
  }
}

function sendError(reply: FastifyReply, status: number, detail: string, scimType?: string) {
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="scim"');
  return reply
    .code(status)
    .type(SCIM_TYPE)
    .serializer(JSON.stringify)
    .send({ schemas: [URN.error], status: String(status), ...(scimType ? { scimType } : {}), detail });
}

/** Every error inside /scim/v2 leaves as a SCIM Error message (RFC 7644 section 3.12), never problem+json. */
function scimErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ScimError) return sendError(reply, error.status, error.message, error.scimType);
  if (error instanceof AppError) return sendError(reply, error.status, error.message);
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2002') return sendError(reply, 409, 'This would create a duplicate.', 'uniqueness');
    if (error.code === 'P2025') return sendError(reply, 404, 'The resource was not found.');
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415)
    return sendError(reply, 415, 'Send application/scim+json (or application/json).');
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413)
    return sendError(reply, 413, 'The request body is too large.');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    return sendError(reply, error.statusCode, error.message, error.statusCode === 400 ? 'invalidSyntax' : undefined);
  request.log.error({ err: error }, 'scim: unhandled error');
  const down = /ECONNREFUSED|Can't reach database|P1001|P1017|Connection terminated/.test(
    `${error.code ?? ''} ${error.message}`,
  );
  if (down) reply.header('retry-after', '5');
  return sendError(
    reply,
    down ? 503 : 500,
    down ? 'The database is unavailable; retry shortly.' : 'Something went wrong on our side; it has been logged.',
  );
}

/** SCIM 2.0 (RFC 7643/7644) under /scim/v2, authenticated by SCIM tokens instead of the API's JWTs. */
export async function scimPlugin(app: FastifyInstance) {
  const prisma = app.db.prisma;

  // The SCIM media type, and JSON; an empty body (a DELETE that still names a type) is no body.
  const parseJson = (_request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void) => {
    if (!body.trim()) return done(null, undefined);
    try {
      done(null, JSON.parse(body));
    } catch {
      done(new ScimError(400, 'The body is not valid JSON.', 'invalidSyntax'));
    }
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'application/scim+json'], { parseAs: 'string' }, parseJson);

  app.decorateRequest('scim', null);
  // SCIM describes itself (/Schemas, /ResourceTypes); these routes stay out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  app.setErrorHandler(scimErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `No SCIM endpoint ${request.method} ${request.url.split('?')[0]}.`),
  );

  app.addHook('onRequest', async (request) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1]) throw new ScimError(401, 'Send `Authorization: Bearer <SCIM token>`.');
    const token = await prisma.scimToken.findUnique({
      where: { tokenHash: sha256(match[1]) },
      select: { id: true, prefix: true, revokedAt: true, lastUsedAt: true },
    });
    if (!token || token.revokedAt) throw new ScimError(401, 'The SCIM token is invalid or was revoked.');
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
      await prisma.scimToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
    }
    request.scim = {
      tokenId: token.id,
      prefix: token.prefix,
      base: `${publicUrl(app, request)}/scim/v2`,
    };
  });

  const base = (request: FastifyRequest) => (request.scim as ScimCaller).base;
  const list = (resources: unknown[]) => ({
    schemas: [URN.list],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  });
  const byId = <T extends { id: string }>(items: T[], id: string, what: string) => {
    const found = items.find((item) => item.id.toLowerCase() === id.toLowerCase());
    if (!found) throw new ScimError(404, `${what} ${id} not found.`);
    return found;
  };

  app.get('/ServiceProviderConfig', async (request, reply) => send(reply, 200, serviceProviderConfig(base(request))));
  app.get('/ResourceTypes', async (request, reply) => send(reply, 200, list(resourceTypesDocument(base(request)))));
  app.get<{ Params: { id: string } }>('/ResourceTypes/:id', async (request, reply) =>
    send(reply, 200, byId(resourceTypesDocument(base(request)), request.params.id, 'ResourceType')),
  );
  app.get('/Schemas', async (request, reply) => send(reply, 200, list(schemasDocument(base(request)))));
  app.get<{ Params: { id: string } }>('/Schemas/:id', async (request, reply) =>
    send(reply, 200, byId(schemasDocument(base(request)), request.params.id, 'Schema')),
  );

  await scimUsersRoutes(app);
  await scimGroupsRoutes(app);

  // RFC 7644 section 3.11: a provider that does not support /Me answers 501.
  app.all('/Me', async () => {
    throw new ScimError(
      501,
      'The /Me endpoint is not supported: a SCIM token acts for the identity provider, not a user.',
    );
  });
  app.all('/Me/*', async () => {
    throw new ScimError(
      501,
      'The /Me endpoint is not supported: a SCIM token acts for the identity provider, not a user.',
    );
  });
  // Any other path under /scim/v2 is a SCIM 404, after the token check (a route, so the onRequest hook runs; this
  // also wins over the web app's catch-all, which would answer the API's own not-found).
  app.all('/*', async (request) => {
    throw new ScimError(404, `No SCIM endpoint ${request.method} ${request.url.split('?')[0]}.`);
  });
}
