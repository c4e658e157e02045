import type { Deps } from '../../lib/deps.ts';

/**
 * Writes a batch of touches: last_activity_at and the day's activity_days row of each user. One statement: atomic,
 * and only for users that still exist (one deleted since its touch must not fail the batch, which would then be
 * retried forever).
 */
export async function writeActivity(deps: Deps<'db'>, userIds: string[]) {
  await deps.db.prisma.$executeRaw`
    WITH touched AS (UPDATE users SET last_activity_at = now() WHERE id = ANY(${userIds}::uuid[]) RETURNING id)
    INSERT INTO activity_days (user_id, day)
    SELECT id, (now() AT TIME ZONE 'UTC')::date FROM touched
    ON CONFLICT DO NOTHING`;
}
