import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bulkMembershipsBodySchema, bulkOperationSchema, pathId } from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { principalOf } from '../../plugins/auth.ts';
import { bulkService, toBulkOperation } from './bulk.service.ts';

export const bulkRoutes: FastifyPluginAsyncZod = async (app) => {
  const bulk = bulkService(app);
  app.post(
    '/bulk/memberships',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        operationId: 'submitBulkMemberships',
        tags: ['bulk'],
        summary: 'Add or remove up to 20,000 memberships in the background (202 + Location to follow it)',
        description:
          'Queues up to 20,000 membership additions and removals and answers 202 with a Location to follow them; each item succeeds or fails on its own. Admins and `bulk` clients.',
        body: bulkMembershipsBodySchema,
        response: { 202: bulkOperationSchema, ...problems(...authProblems, 403, 413) },
      },
    },
    async (request, reply) => {
      const op = await bulk.submit(principalOf(request), request.body.operations);
      return reply.code(202).header('location', `/api/v1/bulk/operations/${op.id}`).send(toBulkOperation(op));
    },
  );
  app.get(
    '/bulk/operations/:operationId',
    {
      schema: {
        operationId: 'getBulkOperation',
        tags: ['bulk'],
        summary: 'Status, progress and per-item errors of a bulk operation',
        description:
          'The status and progress of a bulk operation, with the error of each item that failed. Whoever submitted it, and admins.',
        params: z.object({ operationId: pathId() }),
        response: { 200: bulkOperationSchema, ...problems(...authProblems, 404) },
      },
    },
    async (request) => toBulkOperation(await bulk.get(principalOf(request), request.params.operationId)),
  );
};
