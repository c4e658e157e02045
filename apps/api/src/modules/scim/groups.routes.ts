import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Group as GroupRow } from '../../generated/prisma/client.ts';
import { scimGroups } from './groups.service.ts';
import { toScimGroup } from './group-mapping.ts';
import { etagOf, isExcluded, notModified, project, readBody, send, type ScimCaller } from './resource.ts';

type Query = Record<string, unknown>;

export async function scimGroupsRoutes(app: FastifyInstance) {
  const groups = scimGroups(app);
  const caller = (request: FastifyRequest) => request.scim as ScimCaller;
  const query = (request: FastifyRequest) => request.query as Query;
  type IdParams = { Params: { id: string } };

  const render = async (request: FastifyRequest, group: GroupRow) => {
    const members = isExcluded(query(request), 'members')
      ? undefined
      : await groups.membersOf(group.id);
    return project(toScimGroup(group, members, caller(request).base), query(request));
  };

  app.get('/Groups', async (request, reply) => send(reply, 200, await groups.list(caller(request), query(request))));

  app.post('/Groups', async (request, reply) => {
    const group = await groups.create(caller(request), readBody(request.body));
    const body = await render(request, group);
    reply.header('location', `${caller(request).base}/Groups/${group.id}`);
    return send(reply, 201, body, group.version);
  });

  app.get<IdParams>('/Groups/:id', async (request, reply) => {
    const group = await groups.get(request.params.id);
    if (notModified(request, group.version)) return reply.code(304).header('etag', etagOf(group.version)).send();
    return send(reply, 200, await render(request, group), group.version);
  });

  app.put<IdParams>('/Groups/:id', async (request, reply) => {
    const group = await groups.replace(caller(request), request, request.params.id, readBody(request.body));
    return send(reply, 200, await render(request, group), group.version);
  });

  // 204 as Okta and Entra expect: answering a large group's whole member list to every PATCH is waste.
  app.patch<IdParams>('/Groups/:id', async (request, reply) => {
    const group = await groups.patch(caller(request), request, request.params.id, request.body);
    return reply.code(204).header('etag', etagOf(group.version)).send();
  });

  app.delete<IdParams>('/Groups/:id', async (request, reply) => {
    await groups.remove(caller(request), request, request.params.id);
    return reply.code(204).send();
  });
}
