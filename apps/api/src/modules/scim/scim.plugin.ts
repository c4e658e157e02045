import type { FastifyInstance, FastifyRequest } from 'fastify';
import { scimErrorHandler, sendError } from './error-handler.ts';
import { scimGroupsRoutes } from './groups.routes.ts';
import { send, type ScimCaller } from './resource.ts';
import { ScimError } from './scim-error.ts';
import { resourceTypesDocument, schemasDocument, serviceProviderConfig, URN } from './schemas.ts';
import { scimTokenOf } from './tokens.service.ts';
import { scimUsersRoutes } from './users.routes.ts';
import { publicUrl } from '../../lib/public-url.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The SCIM token behind a /scim/v2 request. */
    scim: ScimCaller | null;
  }
}

/** SCIM 2.0 (RFC 7643/7644) under /scim/v2, authenticated by SCIM tokens instead of the API's JWTs. */
export async function scimPlugin(app: FastifyInstance) {
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
    const token = await scimTokenOf(app.db, match[1]);
    if (!token) throw new ScimError(401, 'The SCIM token is invalid or was revoked.');
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
