import type { FastifyInstance, FastifyRequest } from 'fastify';
import { etagOf, notModified, project, readBody, send, type ScimCaller } from './resource.ts';
import { toScimUser } from './user-mapping.ts';
import { scimUsers } from './users.service.ts';

type Query = Record<string, unknown>;

export async function scimUsersRoutes(app: FastifyInstance) {
  const users = scimUsers(app);
  const caller = (request: FastifyRequest) => request.scim as ScimCaller;
  const query = (request: FastifyRequest) => request.query as Query;
  type IdParams = { Params: { id: string } };

  app.get('/Users', async (request, reply) => send(reply, 200, await users.list(caller(request), query(request))));

  app.post('/Users', async (request, reply) => {
    const user = await users.create(caller(request), readBody(request.body));
    const body = toScimUser(user, caller(request).base);
    reply.header('location', (body.meta as { location: string }).location);
    return send(reply, 201, body, user.version);
  });

  app.get<IdParams>('/Users/:id', async (request, reply) => {
    const user = await users.get(caller(request), request.params.id);
    if (notModified(request, user.version)) return reply.code(304).header('etag', etagOf(user.version)).send();
    return send(reply, 200, project(toScimUser(user, caller(request).base), query(request)), user.version);
  });

  app.put<IdParams>('/Users/:id', async (request, reply) => {
    const user = await users.replace(caller(request), request, request.params.id, readBody(request.body));
    return send(reply, 200, toScimUser(user, caller(request).base), user.version);
  });

  app.patch<IdParams>('/Users/:id', async (request, reply) => {
    const user = await users.patch(caller(request), request, request.params.id, request.body);
    return send(reply, 200, toScimUser(user, caller(request).base), user.version);
  });

  app.delete<IdParams>('/Users/:id', async (request, reply) => {
    await users.remove(caller(request), request, request.params.id);
    return reply.code(204).send();
  });
}
