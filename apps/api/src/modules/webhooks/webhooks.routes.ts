import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createWebhookBodySchema,
  idSchema,
  listPostsQuerySchema,
  MAX_ROWS,
  page,
  patchWebhookBodySchema,
  webhookDeliverySchema,
  webhookSchema,
} from '@covey/schema';
import { audit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import { authProblems, problems } from '../../lib/openapi.ts';
import { createdBefore, linkNext, toPage } from '../../lib/pagination.ts';
import { checkWebhookUrl } from '../../lib/webhook-target.ts';
import type { Principal } from '../../lib/principal.ts';
import { isUuid } from '../../lib/refs.ts';
import { randomToken } from '../../lib/tokens.ts';
import { principalOf } from '../../plugins/auth.ts';
import { authorize } from '../../policy/index.ts';
import { queueDeliveries } from './delivery.ts';

const toWebhook = (w: { id: string; url: string; description: string | null; events: string[]; active: boolean; failingSince: Date | null; disabledAt: Date | null; createdAt: Date }) => ({
  id: w.id,
  url: w.url,
  description: w.description,
  events: w.events as never,
  active: w.active,
  failingSince: w.failingSince?.toISOString() ?? null,
  disabledAt: w.disabledAt?.toISOString() ?? null,
  createdAt: w.createdAt.toISOString(),
});

export const webhooksRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const tags = ['webhooks'];
  const params = z.object({ webhookId: z.string().min(1).max(64) });

  async function endpointOf(principal: Principal, id: string) {
    authorize(principal, 'webhooks');
    const endpoint = isUuid(id) ? await prisma.webhookEndpoint.findUnique({ where: { id } }) : null;
    if (!endpoint) throw notFound('not_found', 'The webhook');
    return endpoint;
  }

  app.get(
    '/webhooks',
    { schema: { operationId: 'listWebhooks', tags, summary: 'Webhook endpoints', response: { 200: page(webhookSchema, MAX_ROWS), ...problems(...authProblems, 403) } } },
    async (request) => {
      authorize(principalOf(request), 'webhooks');
      const rows = await prisma.webhookEndpoint.findMany({ orderBy: { createdAt: 'desc' } });
      return { items: rows.map(toWebhook), nextCursor: null };
    },
  );

  app.post(
    '/webhooks',
    {
      schema: {
        operationId: 'createWebhook',
        tags,
        summary: 'Register an endpoint for some events (or `*`); the answer carries its signing secret, once',
        body: createWebhookBodySchema,
        response: { 201: webhookSchema.extend({ secret: z.string().max(256).describe('HMAC-SHA256 key of X-Signature') }), ...problems(...authProblems, 403) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      authorize(principal, 'webhooks');
      await checkWebhookUrl(request.body.url, app.env.COVEY_WEBHOOK_ALLOW_PRIVATE === '1');
      const secret = `whsec_${randomToken(32)}`;
      const created = await prisma.$transaction(async (tx) => {
        const w = await tx.webhookEndpoint.create({
          data: { url: request.body.url, description: request.body.description ?? null, events: [...new Set(request.body.events)], secret: app.secrets.seal(secret) },
        });
        await audit(tx, principal, 'webhook.create', { type: 'webhook', id: w.id }, { url: w.url, events: w.events });
        return w;
      });
      return reply.code(201).header('location', `/api/v1/webhooks/${created.id}`).send({ ...toWebhook(created), secret });
    },
  );

  app.patch(
    '/webhooks/:webhookId',
    {
      schema: {
        operationId: 'updateWebhook',
        tags,
        summary: 'Change an endpoint; `active: true` re-enables a disabled one; `rotateSecret: true` issues a new secret',
        params,
        body: patchWebhookBodySchema,
        response: { 200: webhookSchema.extend({ secret: z.string().max(256).optional() }), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await endpointOf(principal, request.params.webhookId);
      if (request.body.url !== undefined) await checkWebhookUrl(request.body.url, app.env.COVEY_WEBHOOK_ALLOW_PRIVATE === '1');
      const secret = request.body.rotateSecret ? `whsec_${randomToken(32)}` : undefined;
      const updated = await prisma.$transaction(async (tx) => {
        const w = await tx.webhookEndpoint.update({
          where: { id: request.params.webhookId },
          data: {
            url: request.body.url,
            description: request.body.description,
            events: request.body.events ? [...new Set(request.body.events)] : undefined,
            active: request.body.active,
            ...(request.body.active ? { disabledAt: null, failingSince: null } : {}),
            secret: secret ? app.secrets.seal(secret) : undefined,
          },
        });
        await audit(tx, principal, 'webhook.update', { type: 'webhook', id: w.id }, { fields: Object.keys(request.body) });
        return w;
      });
      return { ...toWebhook(updated), ...(secret ? { secret } : {}) };
    },
  );

  app.delete(
    '/webhooks/:webhookId',
    { schema: { operationId: 'deleteWebhook', tags, summary: 'Delete an endpoint and its delivery log', params, response: { 204: z.null().describe('Deleted'), ...problems(...authProblems, 403, 404) } } },
    async (request, reply) => {
      const principal = principalOf(request);
      await endpointOf(principal, request.params.webhookId);
      await prisma.$transaction(async (tx) => {
        await tx.webhookEndpoint.delete({ where: { id: request.params.webhookId } });
        await audit(tx, principal, 'webhook.delete', { type: 'webhook', id: request.params.webhookId });
      });
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
        params,
        querystring: listPostsQuerySchema,
        response: { 200: page(webhookDeliverySchema), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      await endpointOf(principalOf(request), request.params.webhookId);
      const rows = await prisma.webhookDelivery.findMany({
        where: {
          endpointId: request.params.webhookId,
          ...createdBefore(request.query.cursor),
        },
        include: { event: { select: { type: true } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: request.query.limit + 1,
      });
      const result = toPage(rows, request.query.limit, (d) => [d.createdAt.toISOString(), d.id]);
      linkNext(request, reply, result.nextCursor);
      return {
        items: result.items.map((d) => ({
          id: d.id,
          eventId: d.eventId,
          eventType: d.event.type,
          status: d.status,
          attempts: d.attempts,
          responseStatus: d.responseStatus,
          latencyMs: d.latencyMs,
          lastError: d.lastError,
          deliveredAt: d.deliveredAt?.toISOString() ?? null,
          createdAt: d.createdAt.toISOString(),
        })),
        nextCursor: result.nextCursor,
      };
    },
  );

  app.post(
    '/webhooks/:webhookId/deliveries/:deliveryId/replay',
    {
      schema: {
        operationId: 'replayWebhookDelivery',
        tags,
        summary: 'Send a delivery again (same event, same payload, a fresh signature)',
        params: params.extend({ deliveryId: z.string().min(1).max(64) }),
        response: { 202: z.object({ deliveryId: idSchema, status: z.literal('pending') }), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await endpointOf(principal, request.params.webhookId);
      const id = request.params.deliveryId;
      const delivery = isUuid(id) ? await prisma.webhookDelivery.findFirst({ where: { id, endpointId: request.params.webhookId } }) : null;
      if (!delivery) throw notFound('not_found', 'The delivery');
      await prisma.$transaction(async (tx) => {
        await tx.webhookDelivery.update({ where: { id }, data: { status: 'pending' } });
        await queueDeliveries(app, tx, [id]);
        await audit(tx, principal, 'webhook.replay', { type: 'webhook_delivery', id });
      });
      return reply.code(202).send({ deliveryId: id, status: 'pending' as const });
    },
  );
};
