import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { Db } from '../../db/sql.ts';
import { ancestorsCte, subtreeCte } from '../../db/tree.ts';

export const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * A group's subtree and the programs this part of the tree follows, resolved to id lists first; `expected[i]` is the
 * progress the schedule of `programs[i]` expects by now (null without a schedule).
 */
export type Scope = { subtree: string[]; programs: string[]; expected: (number | null)[] };

/**
 * Resolves the scope in one query, so that the statistics below run on id lists whose size the planner knows
 * (a recursive CTE inside them would be estimated blindly, and a 10,000-learner subtree planned like a 100,000 one).
 */
export async function resolveScope(db: Db, groupId: string): Promise<Scope> {
  const [row] = await db.$queryRaw<{ subtree: string[] | null; programs: { id: string; expected: number | null }[] | null }[]>`
    WITH RECURSIVE ${subtreeCte(groupId)}, ${ancestorsCte(groupId)}
    SELECT (SELECT array_agg(id::text) FROM sub) AS subtree,
      (SELECT json_agg(json_build_object('id', p.id, 'expected', ${Prisma.raw(expectedProgress('p'))})) FROM programs p
        WHERE p.id IN (SELECT a.program_id FROM program_assignments a
          WHERE a.group_id IN (SELECT id FROM sub) OR a.group_id IN (SELECT id FROM anc))) AS programs`;
  const programs = row?.programs ?? [];
  return { subtree: row?.subtree ?? [], programs: programs.map((p) => p.id), expected: programs.map((p) => p.expected) };
}

/** The progress a program's schedule expects by now: the elapsed share of it (NULL without a schedule). */
const expectedProgress = (p: string) => `CASE WHEN ${p}.starts_at IS NOT NULL AND ${p}.ends_at IS NOT NULL AND ${p}.ends_at > ${p}.starts_at
    THEN LEAST(100, GREATEST(0, 100 * EXTRACT(EPOCH FROM now() - ${p}.starts_at) / EXTRACT(EPOCH FROM ${p}.ends_at - ${p}.starts_at)))::float8
  END`;

/** An enrollment is behind when its progress is below the share of the program's schedule already elapsed. */
export const behind = (e: string, p: string) => Prisma.raw(`(${e}.status <> 'completed' AND ${e}.progress < ${expectedProgress(p)})`);

/**
 * The building blocks of the group statistics, as SQL; every aggregate is computed by the database over these sets,
 * with no per-learner loop. Each reads in proportion to the subtree, not to the workspace.
 *
 * `activeLearners`: the subtree's learner ids are gathered once into an array (memberships index only). The users are
 * then read by primary key: a 10,000-learner subtree reads 10,000 rows, where a semi join would scan every user.
 */
export const activeLearners = (scope: Scope, columns: Prisma.Sql) => Prisma.sql`
  SELECT ${columns} FROM users u WHERE u.status = 'active' AND u.id = ANY(ARRAY(${learnerMemberships(scope)}))`;

/** The user ids of the subtree's learner memberships (read from the memberships index alone). */
const learnerMemberships = (scope: Scope) =>
  Prisma.sql`SELECT m.user_id FROM memberships m WHERE m.role = 'learner' AND m.group_id = ANY(${scope.subtree}::uuid[])`;

/**
 * The ids of the subtree's active learners without reading their rows: the learner memberships (memberships index)
 * less the deactivated users (anti join on the status index: they are few). A learner of several groups of the
 * subtree comes once per group.
 */
export const subtreeLearnerIds = (scope: Scope) => Prisma.sql`
  SELECT m.user_id FROM memberships m WHERE m.role = 'learner' AND m.group_id = ANY(${scope.subtree}::uuid[])
    AND NOT EXISTS (SELECT 1 FROM users x WHERE x.id = m.user_id AND x.status = 'deactivated')`;

/** The expected progress of the program in `column`, from the scope's list. */
const expectedOf = (scope: Scope, column: Prisma.Sql) =>
  scope.programs.length
    ? Prisma.sql`(CASE ${column} ${Prisma.join(
        scope.programs.map((id, i) => Prisma.sql`WHEN ${id}::uuid THEN ${scope.expected[i]}::float8`),
        ' ',
      )} END)`
    : Prisma.sql`NULL::float8`;

/**
 * The subtree's relevant enrollments (in programs assigned to the subtree or to an ancestor) of its active learners:
 * read by program, kept when their learner is one of `subtreeLearnerIds` (a hash semi join on the subtree's learner
 * memberships; the deactivated are taken out of those ids, not out of each enrollment). `behind` compares with the
 * program's expectation, written into the statement as constants (a join there would make the planner read program by
 * program, blind to their sizes; an array lookup per row costs more than the comparisons).
 */
export const subtreeEnrollments = (scope: Scope) => Prisma.sql`
  SELECT e.user_id, e.program_id, e.status, e.progress, e.completed_at,
    (e.status <> 'completed' AND e.progress < ${expectedOf(scope, Prisma.sql`e.program_id`)}) AS behind
  FROM enrollments e
  WHERE e.status <> 'withdrawn' AND e.program_id = ANY(${scope.programs}::uuid[])
    AND e.user_id IN (${subtreeLearnerIds(scope)})`;

/** The root client: a statistics read that prices sorts out runs in a transaction of its own. */
export type StatsDb = Db & Pick<PrismaClient, '$transaction'>;

/**
 * Runs a statistics statement with sorts priced out (`SET LOCAL enable_sort = off`, in a transaction of its own),
 * so that its aggregates hash the subtree's enrollments. The planner cannot know that the enrollments of the programs
 * assigned to a subtree belong to the subtree's learners (a correlation across two tables that no statistic holds):
 * it expects the learners' share of the workspace's users, 1% of the rows for 10,000 of a million, then sorts them for
 * a group aggregate (spilling to disk past `work_mem`). Hashed, the group statistics took 31–33 ms instead of 37–40
 * and the learners table 34–40 ms instead of 45–49 (a million learners, a 10,000-learner subtree; measured by hand,
 * README "sixth pass"). A sort that
 * nothing else can do (the final order, a page's top rows) still runs.
 */
export async function hashingAggregates<T>(db: StatsDb, sql: Prisma.Sql): Promise<T[]> {
  const [, rows] = await db.$transaction([db.$executeRaw`SET LOCAL enable_sort = off`, db.$queryRaw<T[]>(sql)]);
  return rows;
}

/**
 * The subtree's relevant enrollments grouped by program and week of completion (one plain GROUP BY, read from the
 * enrollments' covering index): at most 13 rows per program, with the program's title; `since` is the first Monday of
 * the weekly chart.
 */
export const programFigures = (scope: Scope, since: string) => Prisma.sql`
  WITH agg AS (
    SELECT e.program_id,
      CASE WHEN e.completed_at >= ${new Date(`${since}T00:00:00Z`)}::timestamptz
        THEN date_trunc('week', e.completed_at AT TIME ZONE 'UTC')::date END AS completed_week,
      count(*)::int AS enrolled,
      (count(*) FILTER (WHERE e.status = 'enrolled' AND e.progress = 0))::int AS not_started,
      (count(*) FILTER (WHERE e.status = 'in_progress'))::int AS in_progress,
      (count(*) FILTER (WHERE e.status = 'completed'))::int AS completed,
      (count(*) FILTER (WHERE e.behind))::int AS behind,
      COALESCE(sum(e.progress), 0)::float8 AS progress_sum
    FROM (${subtreeEnrollments(scope)}) e
    GROUP BY e.program_id, completed_week
  )
  SELECT agg.program_id::text, p.title, agg.completed_week::text, agg.enrolled, agg.not_started, agg.in_progress,
    agg.completed, agg.behind, agg.progress_sum
  FROM agg JOIN programs p ON p.id = agg.program_id
  ORDER BY p.title, agg.program_id`;

const DAY = 86_400_000;
/** The Mondays (UTC) starting the last 12 ISO weeks, oldest first, as YYYY-MM-DD. */
export function last12WeekStarts(now = new Date()): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((now.getUTCDay() + 6) % 7) * DAY;
  return Array.from({ length: 12 }, (_, i) => new Date(monday - (11 - i) * 7 * DAY).toISOString().slice(0, 10));
}

/**
 * Activity, one definition for every figure: a learner is active in the last N days when they were active (signed in
 * or used the app) on one of the last N UTC days, today included. Read from `users.last_activity_at`, which is written
 * with the day's `activity_days` row that the weekly charts count, so cards, charts, tables and digests agree.
 */
const windowStart = (days: number) => Prisma.sql`(((now() AT TIME ZONE 'UTC')::date - ${days - 1}::int)::timestamp AT TIME ZONE 'UTC')`;
export const activeWithin = (days: number) => Prisma.sql`(u.last_activity_at >= ${windowStart(days)})`;
/** Not active in the last `days` days (never active included): the "inactive" segment, reminders and digests. */
export const inactiveSince = (days: number) => Prisma.sql`(u.last_activity_at IS NULL OR u.last_activity_at < ${windowStart(days)})`;
