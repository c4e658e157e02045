import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { Db } from '../../db/sql.ts';
import { emitting } from '../../db/outbox.ts';
import { userSummaryJson } from '../../db/user-summary.ts';

/** What enrolling wrote, shared by the general reconcile and the new-assignment path. */
type EnrolledUser = { id: string; email: string; firstName: string; lastName: string };
export type ReconcileResult = { enrolled: number; withdrawn: number; sample?: EnrolledUser[] };

/**
 * Runs fn in a transaction: the caller's, or a new one when given the root client (a staged scope lives on one
 * connection until commit). Only the root client has `$connect`; a transaction client has not.
 */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const client = db as Db & Partial<Pick<PrismaClient, '$connect' | '$transaction'>>;
  return client.$connect && client.$transaction ? client.$transaction((tx) => fn(tx)) : fn(db);
}

export type Enrolled = { enrolled: number; sample: EnrolledUser[] | null };

/**
 * The end of an enrolling statement: enroll (or re-enroll a withdrawn enrollment) each `(user_id, program_id)` that
 * `pairs` yields, in a stable order (row locks are taken in the same order as concurrent reconciles: no deadlock
 * between them), emit enrollment.created for each, and answer how many and up to `sample` of them by name.
 */
export const enrolling = (pairs: Prisma.Sql, sample: number) => Prisma.sql`
    ${enrollingCtes(pairs)}
    SELECT (SELECT count(*)::int FROM upserted) AS enrolled, ${enrolledSample(sample)} AS sample`;

/**
 * The CTEs of `enrolling`, for a statement that goes on with them: `upserted` (the rows it enrolled: `id`, `user_id`,
 * `program_id`) and `events`.
 */
export const enrollingCtes = (pairs: Prisma.Sql) => Prisma.sql`
    upserted AS (
      INSERT INTO enrollments (user_id, program_id)
      ${pairs}
      ON CONFLICT (user_id, program_id) DO UPDATE
        SET status = 'enrolled', withdrawn_at = NULL, updated_at = now()
        WHERE enrollments.status = 'withdrawn'
      RETURNING id, user_id, program_id
    ),
    events AS (${emitting('enrollment.created', Prisma.sql`SELECT jsonb_build_object('enrollmentId', id, 'userId', user_id, 'programId', program_id) FROM upserted`)})`;

/** Up to `sample` of the learners a statement's `upserted` rows enrolled, by name (NULL when none is asked). */
export const enrolledSample = (sample: number) =>
  sample
    ? Prisma.sql`(SELECT COALESCE(json_agg(${userSummaryJson('x')}
              ORDER BY x.last_name, x.first_name, x.id), '[]'::json)
            FROM (SELECT DISTINCT u.id, u.email, u.first_name, u.last_name FROM upserted JOIN users u ON u.id = upserted.user_id
                  ORDER BY u.last_name, u.first_name, u.id LIMIT ${sample}) x)`
    : Prisma.sql`NULL::json`;

