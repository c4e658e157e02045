import { Prisma } from '../../generated/prisma/client.ts';

/** A group's subtree and the programs this part of the tree follows, resolved to id lists first. */
export type Scope = { subtree: string[]; programs: string[] };

/**
 * Resolves the scope in one query, so that the statistics below run on id lists whose size the planner knows
 * (a recursive CTE inside them would be estimated blindly, and a 10,000-learner subtree planned like a 100,000 one).
 */
export async function resolveScope(db: Pick<Prisma.TransactionClient, '$queryRaw'>, groupId: string): Promise<Scope> {
  const [row] = await db.$queryRaw<{ subtree: string[] | null; programs: string[] | null }[]>`
    WITH RECURSIVE sub AS (
      SELECT id FROM groups WHERE id = ${groupId}::uuid
      UNION ALL SELECT g.id FROM groups g JOIN sub ON g.parent_id = sub.id
    ),
    anc AS (
      SELECT id, parent_id FROM groups WHERE id = ${groupId}::uuid
      UNION ALL SELECT g.id, g.parent_id FROM groups g JOIN anc ON g.id = anc.parent_id
    )
    SELECT (SELECT array_agg(id::text) FROM sub) AS subtree,
      (SELECT array_agg(DISTINCT a.program_id::text) FROM program_assignments a
        WHERE a.group_id IN (SELECT id FROM sub) OR a.group_id IN (SELECT id FROM anc)) AS programs`;
  return { subtree: row?.subtree ?? [], programs: row?.programs ?? [] };
}

/**
 * The building blocks of every statistic, as SQL: the subtree's active learners (with the user columns the
 * statistics read, so that users is read once) and their "relevant" enrollments (in programs assigned to the
 * subtree or to an ancestor). All aggregates are computed by the database over these sets: no per-learner loop.
 */
export const groupScope = (scope: Scope) => Prisma.sql`
  learners AS MATERIALIZED (
    SELECT u.id AS user_id, u.email, u.first_name, u.last_name, u.last_login_at, u.last_activity_at, u.active_weeks
    FROM users u
    WHERE u.status = 'active'
      AND u.id IN (SELECT m.user_id FROM memberships m WHERE m.role = 'learner' AND m.group_id = ANY(${scope.subtree}::uuid[]))
  ),
  rel AS MATERIALIZED (
    SELECT e.id, e.user_id, e.program_id, e.status, e.progress, e.completed_at FROM learners l
    JOIN enrollments e ON e.user_id = l.user_id
    WHERE e.status <> 'withdrawn' AND e.program_id = ANY(${scope.programs}::uuid[])
  )`;

/** An enrollment is behind when its progress is below the share of the program's schedule already elapsed. */
export const behind = (e: string, p: string) => Prisma.raw(`(
  ${e}.status <> 'completed' AND ${p}.starts_at IS NOT NULL AND ${p}.ends_at IS NOT NULL AND ${p}.ends_at > ${p}.starts_at
  AND ${e}.progress < LEAST(100, GREATEST(0,
    100 * EXTRACT(EPOCH FROM now() - ${p}.starts_at) / EXTRACT(EPOCH FROM ${p}.ends_at - ${p}.starts_at))))`);

/** The last 12 ISO weeks (Monday starts), oldest first. */
export const last12Weeks = Prisma.sql`
  SELECT (date_trunc('week', now() AT TIME ZONE 'UTC') - (n * interval '7 days'))::date AS week_start FROM generate_series(0, 11) AS n`;

export const inactiveSince = (days: number) =>
  Prisma.sql`(u.last_login_at IS NULL OR u.last_login_at < now() - make_interval(days => ${days}))`;
