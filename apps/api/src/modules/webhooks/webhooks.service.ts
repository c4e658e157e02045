import type { Deps } from '../../lib/deps.ts';
import type { z } from 'zod';
import type { createWebhookBodySchema, patchWebhookBodySchema } from '@covey/schema';
import { audit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import { createdBefore, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import { isUuid } from '../../lib/refs.ts';
import { randomToken } from '../../lib/tokens.ts';
import { checkWebhookUrl } from '../../lib/webhook-target.ts';
import { authorize } from '../../policy/index.ts';
import { queueDeliveries } from './delivery.ts';

type CreateBody = z.output<typeof createWebhookBodySchema>;
type PatchBody = z.output<typeof patchWebhookBodySchema>;

const newSecret = () => `whsec_${randomToken(32)}`;

/** Webhook endpoints and their delivery log, for whoever the policy lets manage webhooks. */
export function webhooksService(deps: Deps<'db' | 'secrets' | 'boss' | 'env'>) {
  const prisma = deps.db.prisma;

  async function endpointOf(principal: Principal, id: string) {
    authorize(principal, 'webhooks');
    const endpoint = isUuid(id) ? await prisma.webhookEndpoint.findUnique({ where: { id } }) : null;
    if (!endpoint) throw notFound('not_found', 'The webhook');
    return endpoint;
  }

  return {
    async list(principal: Principal) {
      authorize(principal, 'webhooks');
      return prisma.webhookEndpoint.findMany({ orderBy: { createdAt: 'desc' } });
    },

    /** The new endpoint and its signing secret (shown once). */
    async create(principal: Principal, body: CreateBody) {
      authorize(principal, 'webhooks');
      await checkWebhookUrl(body.url, deps.env.COVEY_WEBHOOK_ALLOW_PRIVATE === '1');
      const secret = newSecret();
      const endpoint = await prisma.$transaction(async (tx) => {
        const w = await tx.webhookEndpoint.create({
          data: { url: body.url, description: body.description ?? null, events: [...new Set(body.events)], secret: deps.secrets.seal(secret) },
        });
        await audit(tx, principal, 'webhook.create', { type: 'webhook', id: w.id }, { url: w.url, events: w.events });
        return w;
      });
      return { endpoint, secret };
    },

    /** `active: true` re-enables a disabled endpoint; `rotateSecret: true` answers the new secret. */
    async update(principal: Principal, id: string, body: PatchBody) {
      await endpointOf(principal, id);
      if (body.url !== undefined) await checkWebhookUrl(body.url, deps.env.COVEY_WEBHOOK_ALLOW_PRIVATE === '1');
      const secret = body.rotateSecret ? newSecret() : undefined;
      const endpoint = await prisma.$transaction(async (tx) => {
        const w = await tx.webhookEndpoint.update({
          where: { id },
          data: {
            url: body.url,
            description: body.description,
            events: body.events ? [...new Set(body.events)] : undefined,
            active: body.active,
            ...(body.active ? { disabledAt: null, failingSince: null } : {}),
            secret: secret ? deps.secrets.seal(secret) : undefined,
          },
        });
        await audit(tx, principal, 'webhook.update', { type: 'webhook', id: w.id }, { fields: Object.keys(body) });
        return w;
      });
      return { endpoint, secret };
    },

    async remove(principal: Principal, id: string) {
      await endpointOf(principal, id);
      await prisma.$transaction(async (tx) => {
        await tx.webhookEndpoint.delete({ where: { id } });
        await audit(tx, principal, 'webhook.delete', { type: 'webhook', id });
      });
    },

    /** A page of the endpoint's delivery log, newest first. */
    async deliveries(principal: Principal, id: string, query: { cursor?: string; limit: number }) {
      await endpointOf(principal, id);
      const rows = await prisma.webhookDelivery.findMany({
        where: { endpointId: id, ...createdBefore(query.cursor) },
        include: { event: { select: { type: true } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
      });
      return toPage(rows, query.limit, (d) => [d.createdAt.toISOString(), d.id]);
    },

    /** Queues a delivery again (same event and payload; it is signed afresh when sent). */
    async replay(principal: Principal, endpointId: string, deliveryId: string) {
      await endpointOf(principal, endpointId);
      const delivery = isUuid(deliveryId) ? await prisma.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId } }) : null;
      if (!delivery) throw notFound('not_found', 'The delivery');
      await prisma.$transaction(async (tx) => {
        await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'pending' } });
        await queueDeliveries(deps, tx, [deliveryId]);
        await audit(tx, principal, 'webhook.replay', { type: 'webhook_delivery', id: deliveryId });
      });
    },
  };
}
