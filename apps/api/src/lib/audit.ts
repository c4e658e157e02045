import type { Principal } from './principal.ts';
import type { Db } from '../db/sql.ts';

/** Audit trail of admin and integration writes. */
export async function audit(
  db: Db,
  principal: Principal,
  action: string,
  target: { type: string; id: string },
  data: Record<string, unknown> = {},
) {
  const actorType = principal.type === 'user' ? 'user' : 'client';
  await db.$executeRaw`
    INSERT INTO audit_log (actor_type, actor_id, action, target_type, target_id, data)
    VALUES (${actorType}::"ActorType", ${principal.id}, ${action}, ${target.type}, ${target.id}, ${JSON.stringify(data)}::jsonb)`;
}
