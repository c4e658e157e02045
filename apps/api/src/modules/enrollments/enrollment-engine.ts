import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../../db/sql.ts';
import { ancestorsCte, subtreeCte, type TreeStart } from '../../db/tree.ts';
import { enrolling, inTransaction, type Enrolled, type ReconcileResult } from './enrolling.ts';
import { toUserSummary, type UserSummaryRow } from '../../db/user-summary.ts';

/**
 * Auto-enrollment, set-based. A learner is enrolled in a program when one of the groups they are a learner of,
 * or an ancestor of it, has the program assigned and the program is ongoing. Each reason is an enrollment source
 * (the assignment). Every change of memberships, assignments, the tree or a program's status calls `reconcile`
 * over the users it touched: a fixed number of set-based statements whatever the number of users, never a loop.
 */
export type ReconcileScope = {
  /** The users whose enrollments may change: ids the caller holds, or a subquery yielding `user_id`s. */
  users: UserIds | Prisma.Sql;
  /** Limit the work to one program (assignments, publication). */
  programId?: string;
  /**
   * The change only adds paths (a new assignment, members added): nothing it does can take a source away, so the
   * two statements that drop lost sources and withdraw what no source holds are skipped (half of an assignment's
   * statements, each reading every enrollment of the scope).
   */
  additive?: boolean;
};
type UserIds = { ids: string[] };

export type { ReconcileResult } from './enrolling.ts';

export const usersById = (ids: string[]): UserIds => ({ ids });

/**
 * Learners of a group (or of the groups a query yields) and of the whole subtree. Each group's learners are read
 * through the memberships index (LATERAL … OFFSET 0): blind to the walk's size, the planner hashed every membership.
 */
export const learnersOfSubtree = (start: TreeStart) => Prisma.sql`
  WITH RECURSIVE ${subtreeCte(start)}
  SELECT m.user_id FROM sub
  CROSS JOIN LATERAL (SELECT user_id FROM memberships WHERE group_id = sub.id AND role = 'learner' OFFSET 0) m`;

/**
 * The scope as the statements name it: `rows` yields its users (`user_id`). Ids the caller already holds are sent as
 * one array. A subquery (a group's subtree: up to every learner of the workspace) is staged once in a temporary
 * table, analyzed so that the planner knows its size: its ids never travel through the API process, which keeps the
 * fan-out's memory flat whatever the number of learners.
 */
export type Resolved = { rows: Prisma.Sql; programId?: string };

/**
 * Every (user, assignment) reachable through learner memberships and the group tree. Each user's memberships are
 * read through the index by user (a lateral join the planner cannot reorder): the cost follows the scope's size,
 * never the size of the memberships table.
 */
const reachable = (scope: Resolved, activeOnly: boolean) => Prisma.sql`
  learner_of(user_id, group_id) AS MATERIALIZED (
    SELECT m.user_id, m.group_id FROM (${scope.rows}) AS rs(user_id)
    CROSS JOIN LATERAL (
      SELECT m.user_id, m.group_id FROM memberships m
      ${activeOnly ? Prisma.sql`JOIN users u ON u.id = m.user_id AND u.status = 'active'` : Prisma.empty}
      WHERE m.user_id = rs.user_id AND m.role = 'learner' OFFSET 0
    ) m
    -- A program no longer assigned anywhere (its last unassignment) reaches nobody: no need to read the learners.
    ${scope.programId ? Prisma.sql`WHERE EXISTS (SELECT 1 FROM program_assignments WHERE program_id = ${scope.programId}::uuid)` : Prisma.empty}
  ),
  -- The tree is walked once per group the scope's learners are in (not once per learner), carrying the group.
  ${ancestorsCte(Prisma.sql`SELECT DISTINCT group_id, group_id FROM learner_of`, { name: 'up', carry: 'start' })},
  reach AS (
    SELECT DISTINCT l.user_id, a.id AS assignment_id, a.program_id
    FROM learner_of l JOIN up ON up.start = l.group_id JOIN program_assignments a ON a.group_id = up.id
    ${activeOnly ? Prisma.sql`JOIN programs p ON p.id = a.program_id AND p.status = 'published' AND (p.ends_at IS NULL OR p.ends_at > now())` : Prisma.empty}
    ${scope.programId ? Prisma.sql`WHERE a.program_id = ${scope.programId}::uuid` : Prisma.empty}
  )`;

/**
 * The scope's enrollments (`id`, `user_id`), read user by user through the (user, program) index. The program is
 * compared as text (in canonical form: a caller may pass an id in upper case) so that the (program, status) index
 * cannot serve: for a program created since the last ANALYZE both indexes are priced at one row, and the planner
 * took the program's one, reading all of its enrollments for each user of the scope (16 s for a 10,000-learner
 * assignment instead of milliseconds).
 */
export const scopeEnrollments = (scope: Resolved, where = Prisma.empty) => Prisma.sql`
  (${scope.rows}) AS rs(user_id)
  CROSS JOIN LATERAL (
    SELECT e.id, e.user_id FROM enrollments e
    WHERE e.user_id = rs.user_id ${scope.programId ? Prisma.sql`AND e.program_id::text = ${scope.programId}::uuid::text` : Prisma.empty} ${where}
    OFFSET 0
  )`;

/** Resolves the scope: an id list as is, a subquery into `reconcile_scope` (one per connection, emptied at commit). */
async function resolve(db: Db, scope: ReconcileScope): Promise<Resolved | null> {
  if ('ids' in scope.users) {
    const ids = [...new Set(scope.users.ids)];
    if (!ids.length) return null;
    return { rows: Prisma.sql`SELECT unnest(${ids}::uuid[])`, programId: scope.programId };
  }
  await db.$executeRaw`CREATE TEMP TABLE IF NOT EXISTS reconcile_scope (user_id uuid NOT NULL) ON COMMIT DELETE ROWS`;
  await db.$executeRaw`DELETE FROM reconcile_scope`;
  const staged = await db.$executeRaw`
    INSERT INTO reconcile_scope (user_id) SELECT DISTINCT s.user_id FROM (${scope.users}) AS s(user_id) WHERE s.user_id IS NOT NULL`;
  if (!staged) return null;
  await db.$executeRaw`ANALYZE reconcile_scope`;
  return { rows: Prisma.sql`SELECT user_id FROM reconcile_scope`, programId: scope.programId };
}

/**
 * `sample`: also return up to that many of the newly enrolled learners (by name), read from the very rows step 1
 * wrote (an assignment's answer lists them without a preview pass).
 */
export function reconcileEnrollments(db: Db, unresolved: ReconcileScope, sample = 0): Promise<ReconcileResult> {
  return inTransaction(db, (tx) => reconcile(tx, unresolved, sample));
}

async function reconcile(db: Db, unresolved: ReconcileScope, sample: number): Promise<ReconcileResult> {
  const scope = await resolve(db, unresolved);
  if (!scope) return { enrolled: 0, withdrawn: 0, ...(sample ? { sample: [] } : {}) };
  // 1. Enroll (or re-enroll a withdrawn enrollment); emit enrollment.created for each.
  const created = await db.$queryRaw<Enrolled[]>`
    WITH RECURSIVE ${reachable(scope, true)},
    ${enrolling(Prisma.sql`SELECT DISTINCT user_id, program_id FROM reach ORDER BY user_id, program_id`, sample)}`;

  // 2. Record every source. A statement of its own: its snapshot must see enrollments that a concurrent
  // transaction committed while step 1 waited on them (ON CONFLICT), or their sources would be lost. Each reachable
  // (user, program) is looked up in the unique index: the planner, blind to the recursive CTE's size, would
  // otherwise hash the whole enrollments table.
  await db.$executeRaw`
    WITH RECURSIVE ${reachable(scope, true)}
    INSERT INTO enrollment_sources (enrollment_id, assignment_id)
    SELECT e.id, r.assignment_id
    FROM reach r
    CROSS JOIN LATERAL (
      SELECT e.id FROM enrollments e
      WHERE e.user_id = r.user_id AND e.program_id = r.program_id AND e.status <> 'withdrawn' OFFSET 0
    ) e
    ON CONFLICT DO NOTHING`;

  if (unresolved.additive) return { enrolled: created[0]?.enrolled ?? 0, withdrawn: 0, ...(sample ? { sample: created[0]?.sample ?? [] } : {}) };

  // 3. Drop sources whose membership path is gone (whatever the program's state: history stays explainable).
  await db.$executeRaw`
    WITH RECURSIVE ${reachable(scope, false)}
    DELETE FROM enrollment_sources s
    USING ${scopeEnrollments(scope)} e
    WHERE s.enrollment_id = e.id
      AND NOT EXISTS (SELECT 1 FROM reach r WHERE r.user_id = e.user_id AND r.assignment_id = s.assignment_id)`;

  // 4. Withdraw what no source holds any more and was never started; progress and completions stay.
  const withdrawn = await db.$executeRaw`
    UPDATE enrollments e SET status = 'withdrawn', withdrawn_at = now(), updated_at = now()
    FROM ${scopeEnrollments(scope, Prisma.sql`AND e.status = 'enrolled' AND e.progress = 0`)} c
    WHERE e.id = c.id AND NOT EXISTS (SELECT 1 FROM enrollment_sources s WHERE s.enrollment_id = e.id)`;

  return { enrolled: created[0]?.enrolled ?? 0, withdrawn, ...(sample ? { sample: created[0]?.sample ?? [] } : {}) };
}

/** Who a reconcile would newly enroll, without writing anything (assignment dry runs). */
export function previewEnrollments(db: Db, unresolved: ReconcileScope, limit = 1000) {
  return inTransaction(db, (tx) => preview(tx, unresolved, limit));
}

async function preview(db: Db, unresolved: ReconcileScope, limit: number) {
  const scope = await resolve(db, unresolved);
  if (!scope) return { count: 0, users: [] };
  const rows = await db.$queryRaw<
    (UserSummaryRow & { total: number })[]
  >`
    WITH RECURSIVE ${reachable(scope, true)},
    fresh AS (
      SELECT DISTINCT r.user_id FROM reach r
      WHERE NOT EXISTS (
        SELECT 1 FROM enrollments e
        WHERE e.user_id = r.user_id AND e.program_id = r.program_id AND e.status <> 'withdrawn'
      )
    )
    SELECT u.id::text, u.email, u.first_name, u.last_name, count(*) OVER ()::int AS total
    FROM fresh JOIN users u ON u.id = fresh.user_id
    ORDER BY u.last_name, u.first_name, u.id
    LIMIT ${limit}`;
  return {
    count: rows[0]?.total ?? 0,
    users: rows.map(toUserSummary),
  };
}
