import type { WebhookDelivery, WebhookEndpoint } from '../../generated/prisma/client.ts';

/** An endpoint as the API shows it (never its secret). */
export const toWebhook = (w: Pick<WebhookEndpoint, 'id' | 'url' | 'description' | 'events' | 'active' | 'failingSince' | 'disabledAt' | 'createdAt'>) => ({
  id: w.id,
  url: w.url,
  description: w.description,
  events: w.events as never,
  active: w.active,
  failingSince: w.failingSince?.toISOString() ?? null,
  disabledAt: w.disabledAt?.toISOString() ?? null,
  createdAt: w.createdAt.toISOString(),
});

/** A line of an endpoint's delivery log. */
export const toDelivery = (d: WebhookDelivery & { event: { type: string } }) => ({
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
});
