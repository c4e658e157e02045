import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneOutbox } from '../src/modules/webhooks/delivery.ts';
import { createTestContext, type TestContext } from './helpers.ts';

/** The hourly housekeeping job, run directly on an app without workers (nothing else touches the outbox). */
let t: TestContext;
const day = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * day);

beforeAll(async () => {
  t = await createTestContext({ WEBHOOK_LOG_RETENTION_DAYS: '30' });
});
afterAll(async () => t?.close());

async function endpoint(active: boolean) {
  const [row] = await t.db.query<{ id: string }>(
    `INSERT INTO webhook_endpoints (url, events, secret, active, updated_at) VALUES ('http://127.0.0.1:9/x', '{*}', 'sealed', $1, now()) RETURNING id::text`,
    [active],
  );
  return row!.id;
}

async function event(dispatchedDaysAgo: number | null, createdDaysAgo = dispatchedDaysAgo ?? 0) {
  const [row] = await t.db.query<{ id: string }>(
    `INSERT INTO outbox_events (type, payload, created_at, dispatched_at) VALUES ('group.created', '{}'::jsonb, $1, $2) RETURNING id::text`,
    [ago(createdDaysAgo), dispatchedDaysAgo === null ? null : ago(dispatchedDaysAgo)],
  );
  return row!.id;
}

const delivery = (endpointId: string, eventId: string, status: 'pending' | 'succeeded' | 'failed') =>
  t.db.query(`INSERT INTO webhook_deliveries (endpoint_id, event_id, status) VALUES ($1, $2, $3::"DeliveryStatus")`, [endpointId, eventId, status]);

const remaining = async (ids: string[]) =>
  (await t.db.query<{ id: string }>(`SELECT id::text FROM outbox_events WHERE id = ANY($1::uuid[])`, [ids])).map((r) => r.id).sort();

describe('housekeeping', () => {
  it('keeps the webhook log for its retention, and a delivery still being retried with its event', async () => {
    const live = await endpoint(true);
    const disabled = await endpoint(false);
    const old = await event(40);
    const oldDelivered = await event(40);
    await delivery(live, oldDelivered, 'succeeded');
    const oldFailed = await event(31);
    await delivery(live, oldFailed, 'failed');
    const oldRetrying = await event(40);
    await delivery(live, oldRetrying, 'pending');
    const oldStuckOnDisabled = await event(40);
    await delivery(disabled, oldStuckOnDisabled, 'pending');
    const recent = await event(29);
    await delivery(live, recent, 'succeeded');
    const undispatched = await event(null, 40);

    const removed = await t.app.housekeeping();

    expect(removed['webhooks.outbox']).toBe(4);
    expect(await remaining([old, oldDelivered, oldFailed, oldRetrying, oldStuckOnDisabled, recent, undispatched])).toEqual(
      [oldRetrying, recent, undispatched].sort(),
    );
    // Deliveries go with their events; the kept ones stay.
    const deliveries = await t.db.query<{ event_id: string }>(`SELECT event_id::text FROM webhook_deliveries`);
    expect(deliveries.map((d) => d.event_id).sort()).toEqual([oldRetrying, recent].sort());
  });

  it('prunes a large log batch by batch until nothing old is left', async () => {
    await t.db.query(`INSERT INTO outbox_events (type, payload, created_at, dispatched_at)
      SELECT 'user.updated', '{}'::jsonb, now() - interval '50 days', now() - interval '50 days' FROM generate_series(1, 25)`);
    expect(await pruneOutbox(t.db.prisma, ago(30), 10)).toBe(25);
    expect(await pruneOutbox(t.db.prisma, ago(30), 10)).toBe(0);
  });

  it('removes expired refresh tokens and idempotency records, and only those', async () => {
    const user = await t.user('learner');
    const token = (expiresAt: Date) =>
      t.db.prisma.refreshToken.create({ data: { userId: user.id, familyId: randomUUID(), tokenHash: randomUUID(), expiresAt } });
    const expired = await token(ago(1));
    const valid = await token(new Date(Date.now() + day));
    const record = (key: string, expiresAt: Date) =>
      t.db.prisma.idempotencyRecord.create({ data: { principal: user.id, key, method: 'POST', path: '/x', requestHash: 'h', expiresAt } });
    await record('gone', ago(1));
    await record('kept', new Date(Date.now() + day));

    await t.app.housekeeping();

    const tokens = await t.db.prisma.refreshToken.findMany({ where: { id: { in: [expired.id, valid.id] } }, select: { id: true } });
    expect(tokens.map((r) => r.id)).toEqual([valid.id]);
    const records = await t.db.prisma.idempotencyRecord.findMany({ where: { principal: user.id }, select: { key: true } });
    expect(records.map((r) => r.key)).toEqual(['kept']);
  });

  it('removes dry runs of people imports nobody applied after 7 days, and applied ones 90 days after they finished, rows included', async () => {
    const create = (status: string, createdDaysAgo: number, finishedDaysAgo: number | null) =>
      t.db.prisma.peopleImport.create({
        data: {
          status,
          total: 1,
          createdAt: ago(createdDaysAgo),
          finishedAt: finishedDaysAgo === null ? null : ago(finishedDaysAgo),
          rows: { create: { index: 0, line: 2, email: `row-${randomUUID()}@test.covey`, plan: 'created' } },
        },
      });
    const staleDryRun = await create('ready', 8, null);
    const freshDryRun = await create('ready', 6, null);
    const oldDone = await create('completed', 100, 91);
    const oldFailed = await create('failed', 100, 95);
    const recentDone = await create('completed', 100, 89);
    const running = await create('running', 200, null);

    const removed = await t.app.housekeeping();

    expect(removed['imports.people']).toBe(3);
    const left = await t.db.prisma.peopleImport.findMany({ select: { id: true } });
    expect(left.map((r) => r.id).sort()).toEqual([freshDryRun.id, recentDone.id, running.id].sort());
    const rows = await t.db.prisma.peopleImportRow.count({ where: { importId: { in: [staleDryRun.id, oldDone.id, oldFailed.id] } } });
    expect(rows).toBe(0);
  });
});
