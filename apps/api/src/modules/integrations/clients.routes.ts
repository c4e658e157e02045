import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiClientSchema as clientSchema, type ClientScope, createApiClientBodySchema, createdApiClientSchema as createdClientSchema, MAX_ROWS } from '@covey/schema';
import { audit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import { authProblems, problems } from '../../lib/openapi.ts';
import type { Principal } from '../../lib/principal.ts';
import { isUuid } from '../../lib/refs.ts';
import { randomToken, sha256 } from '../../lib/tokens.ts';
import { principalOf } from '../../plugins/auth.ts';
import { authorize } from '../../policy/index.ts';

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

function adminOnly(p: Principal) {
  authorize(p, 'integrationClients');
}

/** OAuth 2.0 clients (client credentials) for scripts and other systems; the secret is shown once, stored hashed. */
export const clientsRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const tags = ['integrations'];

  app.get(
    '/integrations/clients',
    { schema: { operationId: 'listIntegrationClients', tags, summary: 'Integration clients', response: { 200: z.object({ items: z.array(clientSchema).max(MAX_ROWS), nextCursor: z.null() }), ...problems(...authProblems, 403) } } },
    async (request) => {
      adminOnly(principalOf(request));
      const rows = await prisma.integrationClient.findMany({ orderBy: { createdAt: 'desc' } });
      return { items: rows.map(toClient), nextCursor: null };
    },
  );

  app.post(
    '/integrations/clients',
    {
      schema: {
        operationId: 'createIntegrationClient',
        tags,
        summary: 'Create a client with scopes; the answer carries its secret, once',
        body: createApiClientBodySchema,
        response: { 201: createdClientSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      adminOnly(principal);
      const secret = `cvs_${randomToken(32)}`;
      const client = await prisma.$transaction(async (tx) => {
        const created = await tx.integrationClient.create({
          data: {
            name: request.body.name,
            clientId: `cvc_${randomToken(12)}`,
            secretHash: sha256(secret),
            scopes: [...new Set(request.body.scopes)],
            createdById: principal.id,
          },
        });
        await audit(tx, principal, 'integration.client.create', { type: 'integration_client', id: created.id }, { scopes: created.scopes });
        return created;
      });
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
        params: z.object({
          clientId: z
            .string()
            .min(1)
            .max(64)
            .regex(/^(cvc_[\w-]{1,60}|[0-9a-fA-F-]{36})$/)
            .describe('The public `clientId` (`cvc_…`) or the internal `id` (UUID)'),
        }),
        response: { 204: z.null().describe('Revoked'), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      adminOnly(principal);
      const ref = request.params.clientId;
      const client = isUuid(ref)
        ? await prisma.integrationClient.findUnique({ where: { id: ref } })
        : await prisma.integrationClient.findUnique({ where: { clientId: ref } });
      if (!client) throw notFound('not_found', 'The client');
      const id = client.id;
      await prisma.$transaction(async (tx) => {
        await tx.integrationClient.update({ where: { id }, data: { revokedAt: client.revokedAt ?? new Date() } });
        await audit(tx, principal, 'integration.client.revoke', { type: 'integration_client', id });
      });
      app.forgetPrincipal('client', id);
      return reply.code(204).send(null);
    },
  );
};
