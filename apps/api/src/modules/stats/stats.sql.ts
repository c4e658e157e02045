import { Prisma } from '../../generated/prisma/client.ts';

/**
 * The building blocks of every statistic, as SQL: a group's subtree and ancestors, its active learners, and their
 * "relevant" enrollments (those that a program assigned in this part of the tree holds). All aggregates are
 * computed by the database over these sets: no per-learner loop anywhere.
 */
export const groupScope = (groupId: string) => Prisma.sql`
  sub AS (
    SELECT id FROM groups WHERE id = ${groupId}::uuid
    UNION ALL SELECT g.id FROM groups g JOIN sub ON g.parent_id = sub.id
  ),
  anc AS (
    SELECT id, parent_id FROM groups WHERE id = ${groupId}::uuid
    UNION ALL SELECT g.id, g.parent_id FROM groups g JOIN anc ON g.id = anc.parent_id
  ),
  learners AS (
    SELECT DISTINCT m.user_id FROM memberships m
    WHERE m.role = 'learner' AND m.group_id IN (SELECT id FROM sub)
      AND EXISTS (SELECT 1 FROM users u WHERE u.id = m.user_id AND u.status = 'active')
  ),
  scope_programs AS (
    SELECT DISTINCT a.program_id FROM program_assignments a
    WHERE a.group_id IN (SELECT id FROM sub) OR a.group_id IN (SELECT id FROM anc)
  ),
  rel AS (
    SELECT e.id, e.user_id, e.program_id, e.status, e.progress, e.completed_at FROM enrollments e
    JOIN learners l ON l.user_id = e.user_id
    WHERE e.status <> 'withdrawn' AND e.program_id IN (SELECT program_id FROM scope_programs)
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
