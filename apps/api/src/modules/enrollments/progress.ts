import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../../db/sql.ts';
import { emitting } from '../../db/outbox.ts';

/**
 * Recomputes progress (0..100) and status from step completions, for one learner or a whole program, in one
 * statement; emits enrollment.completed for enrollments that just completed (and returns their ids).
 * Withdrawn enrollments keep their status.
 */
export async function recomputeProgress(db: Db, programId: string, userId?: string): Promise<string[]> {
  const completed = await db.$queryRaw<{ enrollment_id: string }[]>`
    WITH x AS (
      SELECT e.id, e.status AS old_status,
        (SELECT count(*) FROM step_completions sc JOIN program_steps s ON s.id = sc.step_id
          WHERE s.program_id = e.program_id AND sc.user_id = e.user_id)::int AS done,
        (SELECT count(*) FROM program_steps s WHERE s.program_id = e.program_id)::int AS total
      FROM enrollments e
      WHERE e.program_id = ${programId}::uuid ${userId ? Prisma.sql`AND e.user_id = ${userId}::uuid` : Prisma.empty}
    ),
    updated AS (
      UPDATE enrollments e SET
        progress = CASE WHEN x.total = 0 THEN 0 ELSE LEAST(100, (x.done * 100) / x.total) END,
        status = CASE
          WHEN e.status = 'withdrawn' THEN e.status
          WHEN x.total > 0 AND x.done >= x.total THEN 'completed'::"EnrollmentStatus"
          WHEN x.done > 0 THEN 'in_progress'::"EnrollmentStatus"
          ELSE 'enrolled'::"EnrollmentStatus" END,
        completed_at = CASE WHEN x.total > 0 AND x.done >= x.total THEN COALESCE(e.completed_at, now()) ELSE NULL END,
        started_at = CASE WHEN x.done > 0 THEN COALESCE(e.started_at, now()) ELSE e.started_at END,
        updated_at = now()
      FROM x WHERE e.id = x.id
      RETURNING e.id, e.user_id, e.program_id, e.status, x.old_status
    )
    ${emitting(
      'enrollment.completed',
      Prisma.sql`SELECT jsonb_build_object('enrollmentId', id, 'userId', user_id, 'programId', program_id)
        FROM updated WHERE status = 'completed' AND old_status <> 'completed'`,
    )}
    RETURNING payload->>'enrollmentId' AS enrollment_id`;
  return completed.map((c) => c.enrollment_id);
}
