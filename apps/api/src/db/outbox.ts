import type { webhookEvents } from '@covey/schema/events';
import { Prisma } from '../generated/prisma/client.ts';
import type { Db } from './sql.ts';

/** The events the outbox carries: the webhook events of the contract (packages/schema). */
export type EventType = (typeof webhookEvents)[number];

/**
 * The one INSERT into the transactional outbox: an event of `type` for each row of `payloads` (a query yielding one
 * jsonb column). A statement that changes rows embeds it as a CTE over the rows it changed (`events AS (${emitting(…)})`),
 * so the change and its events are written together, whatever their number.
 */
export const emitting = (type: EventType, payloads: Prisma.Sql) => Prisma.sql`
  INSERT INTO outbox_events (type, payload) SELECT ${type}::text, e.payload FROM (${payloads}) AS e(payload)`;

/** Writes the events of `payloads` in the caller's transaction; returns how many. */
export function emitFrom(db: Db, type: EventType, payloads: Prisma.Sql): Promise<number> {
  return db.$executeRaw(emitting(type, payloads));
}

/** Writes one event to the outbox, in the caller's transaction: no change without its event. */
export async function emit(db: Db, type: EventType, payload: Record<string, unknown>) {
  await emitFrom(db, type, Prisma.sql`SELECT ${JSON.stringify(payload)}::jsonb`);
}

/**
 * The payloads of membership events (`group.member.added`, `.removed`) for the rows of `rows` (a CTE with
 * `group_id`, `user_id`, `role`, and `rule_id` for those a rule made).
 */
export const membershipPayloads = (rows: string, { byRule = false } = {}) => Prisma.sql`
  SELECT jsonb_build_object('groupId', group_id, 'userId', user_id, 'role', role${Prisma.raw(byRule ? ", 'source', 'rule', 'ruleId', rule_id" : '')})
  FROM ${Prisma.raw(rows)}`;
