import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiClientRefSchema, apiClientsPageSchema, type ClientScope, createApiClientBodySchema, createdApiClientSchema as createdClientSchema } from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { principalOf } from '../../plugins/auth.ts';
import { clientsService } from './clients.service.ts';

type Row = { id: string; name: string; clientId: string; scopes: string[]; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };
const toClient = (c: Row) => ({
  id: c.id,
  name: c.name,
  clientId: c.clientId,
  scopes: c.scopes as ClientScope[],
  createdAt: c.createdAt.toISOString(),
  lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
  revokedAt: c.revokedAt?.toISOString() ?? null,
});

/** OAuth 2.0 clients (client credentials) for scripts and other systems; the secret is shown once, stored hashed. */
export const clientsRoutes: FastifyPluginAsyncZod = async (app) => {
  const clients = clientsService(app);
  const tags = ['integrations'];

  app.get(
    '/integrations/clients',
    { schema: { operationId: 'listIntegrationClients', tags, summary: 'Integration clients', description: 'The integration clients of the workspace, with their scopes; secrets are never shown again. Workspace admins.', response: { 200: apiClientsPageSchema, ...problems(...authProblems, 403) } } },
    async (request) => ({ items: (await clients.list(principalOf(request))).map(toClient), nextCursor: null }),
  );

  app.post(
    '/integrations/clients',
    {
      schema: {
        operationId: 'createIntegrationClient',
        tags,
        summary: 'Create a client with scopes; the answer carries its secret, once',
        description:
          'Creates an integration client with scopes; the answer carries its secret, shown this once. Workspace admins; recorded in the audit log.',
        body: createApiClientBodySchema,
        response: { 201: createdClientSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request, reply) => {
      const { client, secret } = await clients.create(principalOf(request), request.body);
      return reply.code(201).header('location', `/api/v1/integrations/clients/${client.id}`).send({ ...toClient(client), clientSecret: secret });
    },
  );

  app.delete(
    '/integrations/clients/:clientId',
    {
      schema: {
        operationId: 'revokeIntegrationClient',
        tags,
        summary: 'Revoke a client: its tokens stop working at once',
        description: 'The client is named by the `clientId` integrators hold (`cvc_…`) or by its `id` (UUID).',
        params: z.object({ clientId: apiClientRefSchema }),
        response: { 204: z.null().describe('Revoked'), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      const id = await clients.revoke(principalOf(request), request.params.clientId);
      app.forgetPrincipal('client', id);
      return reply.code(204).send(null);
    },
  );
};
