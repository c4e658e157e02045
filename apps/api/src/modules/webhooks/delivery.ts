import { createHmac } from 'node:crypto';
import { fromPrisma } from 'pg-boss';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Db, Tx } from '../../db/sql.ts';
import type { Deps } from '../../lib/deps.ts';
import { deliveryError, postWebhook, TargetRefused } from '../../lib/webhook-target.ts';
import { queueMails } from '../mail/mail.service.ts';

export const WEBHOOK_QUEUE = 'webhooks.deliver';
export const DISABLE_AFTER_MS = 24 * 3_600_000;
const TIMEOUT_MS = 10_000;

export type DeliveryJob = { deliveryId: string };

export const signature = (secret: string, timestamp: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export async function queueDeliveries(app: Deps<'boss' | 'env'>, tx: Tx, deliveryIds: string[]) {
  if (!deliveryIds.length) return;
  await app.boss.insert(
    WEBHOOK_QUEUE,
    deliveryIds.map((id) => ({
      data: { deliveryId: id } satisfies DeliveryJob,
      retryLimit: app.env.WEBHOOK_RETRY_LIMIT,
      retryDelay: app.env.WEBHOOK_RETRY_DELAY,
      retryBackoff: true,
      retryDelayMax: 3600,
    })),
    { db: fromPrisma(tx) },
  );
}

/**
 * The oldest undispatched events. Ordered like the (dispatched_at, created_at) index, whose leading column is NULL
 * for all of them: the scan stops after `limit` rows instead of sorting the whole backlog (checked in the plan tests).
 */
export const claimOutboxSql = (limit: number) => Prisma.sql`
  SELECT id, type FROM outbox_events WHERE dispatched_at IS NULL
  ORDER BY dispatched_at, created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;

/**
 * Moves committed outbox events to deliveries: one pass claims a batch of undispatched events (SKIP LOCKED, so
 * several processes share the work and none sends an event twice), creates a delivery per matching active endpoint
 * and queues the jobs, in one transaction. An event committed before a crash is simply picked up by the next pass.
 * Returns how many events the pass claimed (a full batch means more may be waiting).
 */
export async function dispatchOutbox(app: Deps<'db' | 'boss' | 'env'>, limit = 500): Promise<number> {
  return app.db.prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ claimed: number; deliveries: string[] }[]>`
      WITH claimed AS (${claimOutboxSql(limit)}),
      marked AS (
        UPDATE outbox_events o SET dispatched_at = now() FROM claimed c WHERE o.id = c.id RETURNING o.id
      ),
      inserted AS (
        INSERT INTO webhook_deliveries (endpoint_id, event_id)
        SELECT w.id, c.id FROM claimed c JOIN webhook_endpoints w ON w.active AND (c.type = ANY(w.events) OR '*' = ANY(w.events))
        ON CONFLICT (endpoint_id, event_id) DO NOTHING
        RETURNING id::text
      )
      SELECT (SELECT count(*)::int FROM marked) AS claimed, ARRAY(SELECT id FROM inserted) AS deliveries`;
    await queueDeliveries(app, tx, row!.deliveries);
    return row!.claimed;
  });
}

/**
 * Retention of the webhook log: events dispatched before `before` go, with their deliveries (cascade), unless a
 * delivery is still being retried to an active endpoint. Deletes in batches of `batch` (short transactions on a
 * table that a large fan-out grows by 100,000 rows) and returns how many events went.
 */
export async function pruneOutbox(db: Db, before: Date, batch = 10_000): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM outbox_events o USING (
        SELECT e.id FROM outbox_events e
        WHERE e.dispatched_at < ${before}
          AND NOT EXISTS (
            SELECT 1 FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
            WHERE d.event_id = e.id AND d.status = 'pending' AND w.active
          )
        ORDER BY e.dispatched_at LIMIT ${batch}
      ) doomed
      WHERE o.id = doomed.id`;
    total += deleted;
    if (deleted < batch) return total;
  }
}

/** Sends one delivery: signed POST, logged with status and latency; a failure throws so that the queue retries. */
export async function deliver(app: Deps<'db' | 'secrets' | 'env' | 'boss'>, deliveryId: string, attempt: number) {
  const prisma = app.db.prisma;
  const delivery = await prisma.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true, event: true } });
  if (!delivery || delivery.status === 'succeeded' || !delivery.endpoint.active) return;
  const body = JSON.stringify({
    id: delivery.event.id,
    type: delivery.event.type,
    createdAt: delivery.event.createdAt.toISOString(),
    data: delivery.event.payload,
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const started = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  let refused = false;
  try {
    // The connection goes to the address that was checked (webhook-target.ts); redirects are not followed.
    const response = await postWebhook(delivery.endpoint.url, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Covey-Webhooks/1',
        'x-covey-event': delivery.event.type,
        'x-covey-delivery': delivery.id,
        'x-timestamp': timestamp,
        'x-signature': signature(app.secrets.open(delivery.endpoint.secret), timestamp, body),
      },
      body,
      timeoutMs: TIMEOUT_MS,
      allowPrivate: app.env.COVEY_WEBHOOK_ALLOW_PRIVATE === '1',
    });
    status = response.status;
    if (status < 200 || status >= 300) error = `HTTP ${status}`;
  } catch (e) {
    refused = e instanceof TargetRefused;
    error = deliveryError(e);
  }
  // A refused target was never contacted: no latency to report (nothing to learn about the inside of the network).
  const latencyMs = refused ? null : Math.round(performance.now() - started);
  const lastAttempt = attempt >= app.env.WEBHOOK_RETRY_LIMIT;
  await prisma.$transaction(async (tx) => {
    await tx.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        attempts: { increment: 1 },
        responseStatus: status,
        latencyMs,
        lastError: error,
        status: error ? (lastAttempt ? 'failed' : 'pending') : 'succeeded',
        deliveredAt: error ? undefined : new Date(),
      },
    });
    if (!error) {
      await tx.webhookEndpoint.update({ where: { id: delivery.endpointId }, data: { failingSince: null } });
      return;
    }
    const endpoint = await tx.webhookEndpoint.update({
      where: { id: delivery.endpointId },
      data: { failingSince: delivery.endpoint.failingSince ?? new Date() },
    });
    if (endpoint.active && endpoint.failingSince && Date.now() - endpoint.failingSince.getTime() >= DISABLE_AFTER_MS) {
      await disableEndpoint(app, tx, endpoint.id, endpoint.url);
    }
  });
  if (error) throw new Error(`webhook delivery ${delivery.id} failed: ${error}`);
}

/** An endpoint failing for a day is disabled, and every admin is told (in the app and by e-mail). */
async function disableEndpoint(app: Deps<'boss' | 'env'>, tx: Tx, endpointId: string, url: string) {
  await tx.webhookEndpoint.update({ where: { id: endpointId }, data: { active: false, disabledAt: new Date() } });
  const admins = await tx.$queryRaw<{ id: string; email: string; first_name: string }[]>`
    INSERT INTO notifications (user_id, type, mailed_at, data)
    SELECT u.id, 'webhook_disabled', now(), jsonb_build_object('message', ${`Webhook ${url} failed for a day and was disabled.`}::text, 'webhookId', ${endpointId}::text)
    FROM users u WHERE u.role IN ('owner', 'admin') AND u.status = 'active'
    RETURNING user_id::text AS id, (SELECT email FROM users WHERE id = user_id) AS email, (SELECT first_name FROM users WHERE id = user_id) AS first_name`;
  await queueMails(
    app,
    tx,
    admins.map((a) => ({
      to: a.email,
      kind: 'webhook_disabled',
      subject: 'A webhook endpoint was disabled',
      text: `Hello ${a.first_name},\n\nThe webhook endpoint ${url} has been failing for a day, so Covey disabled it. Fix the receiver, then re-enable it and replay the failed deliveries.\n\n-- \nCovey`,
      html: `<p>Hello ${a.first_name.replace(/[<>&"]/g, '')},</p><p>The webhook endpoint <code>${url.replace(/[<>&"]/g, '')}</code> has been failing for a day, so Covey disabled it. Fix the receiver, then re-enable it and replay the failed deliveries.</p>`,
    })),
  );
}
