import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createdWebhookSchema,
  createWebhookBodySchema,
  listPostsQuerySchema,
  MAX_ROWS,
  page,
  patchWebhookBodySchema,
  pathId,
  updatedWebhookSchema,
  webhookDeliverySchema,
  webhookReplaySchema,
  webhookSchema,
} from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { pageWithLink } from '../../lib/pagination.ts';
import { principalOf } from '../../plugins/auth.ts';
import { toDelivery, toWebhook } from './webhook-view.ts';
import { webhooksService } from './webhooks.service.ts';

export const webhooksRoutes: FastifyPluginAsyncZod = async (app) => {
  const webhooks = webhooksService(app);
  const tags = ['webhooks'];
  const params = z.object({ webhookId: pathId() });

  app.get(
    '/webhooks',
    { schema: { operationId: 'listWebhooks', tags, summary: 'Webhook endpoints', description: 'The webhook endpoints of the workspace and the events each receives; secrets are never shown again. Admins and `webhooks` clients.', response: { 200: page(webhookSchema, MAX_ROWS), ...problems(...authProblems, 403) } } },
    async (request) => ({ items: (await webhooks.list(principalOf(request))).map(toWebhook), nextCursor: null }),
  );

  app.post(
    '/webhooks',
    {
      schema: {
        operationId: 'createWebhook',
        tags,
        summary: 'Register an endpoint for some events (or `*`); the answer carries its signing secret, once',
        description:
          'Registers an HTTPS endpoint for some events (or `*`); the answer carries its signing secret, shown this once. Private and loopback addresses answer 422. Admins and `webhooks` clients.',
        body: createWebhookBodySchema,
        response: { 201: createdWebhookSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request, reply) => {
      const { endpoint, secret } = await webhooks.create(principalOf(request), request.body);
      return reply.code(201).header('location', `/api/v1/webhooks/${endpoint.id}`).send({ ...toWebhook(endpoint), secret });
    },
  );

  app.patch(
    '/webhooks/:webhookId',
    {
      schema: {
        operationId: 'updateWebhook',
        tags,
        summary: 'Change an endpoint; `active: true` re-enables a disabled one; `rotateSecret: true` issues a new secret',
        description:
          'Changes an endpoint’s URL or events; `active: true` re-enables one disabled after repeated failures, `rotateSecret: true` issues a new secret. Admins and `webhooks` clients.',
        params,
        body: patchWebhookBodySchema,
        response: { 200: updatedWebhookSchema, ...problems(...authProblems, 403, 404) },
      },
    },
    async (request) => {
      const { endpoint, secret } = await webhooks.update(principalOf(request), request.params.webhookId, request.body);
      return { ...toWebhook(endpoint), ...(secret ? { secret } : {}) };
    },
  );

  app.delete(
    '/webhooks/:webhookId',
    { schema: { operationId: 'deleteWebhook', tags, summary: 'Delete an endpoint and its delivery log', description: 'Deletes an endpoint and its delivery log; pending deliveries are dropped. Admins and `webhooks` clients.', params, response: { 204: z.null().describe('Deleted'), ...problems(...authProblems, 403, 404) } } },
    async (request, reply) => {
      await webhooks.remove(principalOf(request), request.params.webhookId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/webhooks/:webhookId/deliveries',
    {
      schema: {
        operationId: 'listWebhookDeliveries',
        tags,
        summary: 'The delivery log of an endpoint: status, response code, latency, attempts',
        description:
          'The delivery log of an endpoint, newest first: event, status, response code, latency and attempts. Admins and `webhooks` clients.',
        params,
        querystring: listPostsQuerySchema,
        response: { 200: page(webhookDeliverySchema), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      const result = await webhooks.deliveries(principalOf(request), request.params.webhookId, request.query);
      return pageWithLink(request, reply, { items: result.items.map(toDelivery), nextCursor: result.nextCursor });
    },
  );

  app.post(
    '/webhooks/:webhookId/deliveries/:deliveryId/replay',
    {
      schema: {
        operationId: 'replayWebhookDelivery',
        tags,
        summary: 'Send a delivery again (same event, same payload, a fresh signature)',
        description:
          'Sends a delivery again: the same event and payload, with a fresh signature and timestamp. Admins and `webhooks` clients.',
        params: params.extend({ deliveryId: pathId() }),
        response: { 202: webhookReplaySchema, ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      await webhooks.replay(principalOf(request), request.params.webhookId, request.params.deliveryId);
      return reply.code(202).send({ deliveryId: request.params.deliveryId, status: 'pending' as const });
    },
  );
};
