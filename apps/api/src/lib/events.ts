import type { Db } from '../db/sql.ts';

export type EventType =
  | 'user.created'
  | 'user.updated'
  | 'user.deactivated'
  | 'group.created'
  | 'group.updated'
  | 'group.deleted'
  | 'group.member.added'
  | 'group.member.removed'
  | 'program.assigned'
  | 'program.unassigned'
  | 'enrollment.created'
  | 'enrollment.completed'
  | 'post.created';

/** Writes an event to the transactional outbox, in the caller's transaction: no change without its event. */
export async function emit(db: Db, type: EventType, payload: Record<string, unknown>) {
  await db.$executeRaw`INSERT INTO outbox_events (type, payload) VALUES (${type}, ${JSON.stringify(payload)}::jsonb)`;
}
