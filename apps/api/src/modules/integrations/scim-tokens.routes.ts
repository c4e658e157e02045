import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createdScimTokenSchema, createScimTokenBodySchema, MAX_ROWS, page, pathId, scimTokenSchema } from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { principalOf } from '../../plugins/auth.ts';
import { scimTokensService } from '../scim/tokens.service.ts';

const tags = ['integrations'];

export const scimTokensRoutes: FastifyPluginAsyncZod = async (app) => {
  const tokens = scimTokensService(app);

  app.get(
    '/integrations/scim-tokens',
    {
      schema: {
        operationId: 'listScimTokens',
        tags,
        summary: 'SCIM tokens of the workspace (admins)',
        description:
          'The SCIM tokens of the workspace, with when each was last used; the tokens themselves are never shown again. Workspace admins.',
        response: { 200: page(scimTokenSchema, MAX_ROWS), ...problems(...authProblems, 403) },
      },
    },
    async (request) => tokens.list(principalOf(request)),
  );

  app.post(
    '/integrations/scim-tokens',
    {
      schema: {
        operationId: 'createScimToken',
        tags,
        summary: 'Create a SCIM token for an identity provider; the token is shown once',
        description:
          'Creates a bearer token for an identity provider’s SCIM provisioning; the answer shows it this once. Workspace admins; recorded in the audit log.',
        body: createScimTokenBodySchema,
        response: { 201: createdScimTokenSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request, reply) => {
      const created = await tokens.create(principalOf(request), request.body.name);
      return reply.code(201).header('location', `/api/v1/integrations/scim-tokens/${created.id}`).send(created);
    },
  );

  app.delete(
    '/integrations/scim-tokens/:id',
    {
      schema: {
        operationId: 'revokeScimToken',
        tags,
        summary: 'Revoke a SCIM token: the identity provider gets 401 from then on',
        description: 'Revokes a SCIM token: the identity provider gets 401 from then on. Workspace admins.',
        params: z.object({ id: pathId() }),
        response: { 204: z.null().describe('Revoked'), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      await tokens.revoke(principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
