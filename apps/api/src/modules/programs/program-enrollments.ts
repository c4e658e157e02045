import type { z } from 'zod';
import type { listEnrollmentsQuerySchema } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Db, Tx } from '../../db/sql.ts';
import { toUserSummary, type UserSummaryRow } from '../../db/user-summary.ts';
import type { Deps } from '../../lib/deps.ts';
import { AppError, forbidden, notFound } from '../../lib/errors.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import { isUuid } from '../../lib/refs.ts';
import { coveringGroups, enrollmentsScope, requireProgram } from '../../policy/index.ts';
import { queueCertificates } from '../documents/certificate.ts';
import { learnersOfSubtree } from '../enrollments/enrollment-engine.ts';
import { recomputeProgress } from '../enrollments/progress.ts';

/** A program's enrollments: the page of them, and a learner completing one of its steps. */
export function programEnrollments(deps: Deps<'db' | 'boss'>) {
  const prisma = deps.db.prisma;
  const access = (principal: Principal, programId: string) => requireProgram(prisma, principal, programId, 'see');

  return {
    async enrollments(principal: Principal, programId: string, query: z.output<typeof listEnrollmentsQuerySchema>) {
      const all = (await enrollmentsScope(prisma, principal, programId)) === 'all';
      const after = decodeCursor(query.cursor, ['text']);
      const viewer = principal.type === 'user' ? principal.id : null;
      const rows = await prisma.$queryRaw<
        (UserSummaryRow & {
          status: string;
          progress: number;
          completed_at: Date | null;
          sources: { groupId: string; groupName: string }[];
        })[]
      >`
        SELECT u.id::text, u.email, u.first_name, u.last_name, e.status::text, e.progress, e.completed_at,
          COALESCE((SELECT json_agg(json_build_object('groupId', g.id, 'groupName', g.name) ORDER BY g.name)
            FROM enrollment_sources s JOIN program_assignments a ON a.id = s.assignment_id JOIN groups g ON g.id = a.group_id
            WHERE s.enrollment_id = e.id), '[]'::json) AS sources
        FROM enrollments e JOIN users u ON u.id = e.user_id
        WHERE e.program_id = ${programId}::uuid
          ${query.status ? Prisma.sql`AND e.status = ${query.status}::"EnrollmentStatus"` : Prisma.empty}
          ${after ? Prisma.sql`AND u.email > ${String(after[0])}` : Prisma.empty}
          ${all ? Prisma.empty : Prisma.sql`AND e.user_id IN (${learnersOfSubtree(coveringGroups(viewer))})`}
        ORDER BY u.email
        LIMIT ${query.limit + 1}`;
      const page = toPage(rows, query.limit, (r) => [r.email]);
      return {
        items: page.items.map((r) => ({
          user: toUserSummary(r),
          status: r.status as 'enrolled',
          progress: r.progress,
          completedAt: r.completed_at ? new Date(r.completed_at).toISOString() : null,
          sources: r.sources,
        })),
        nextCursor: page.nextCursor,
      };
    },

    async completeStep(principal: Principal, programId: string, stepId: string) {
      if (principal.type !== 'user') throw forbidden('Only learners complete steps.');
      const enrollment = isUuid(programId)
        ? await prisma.enrollment.findUnique({
            where: { userId_programId: { userId: principal.id, programId } },
            include: { program: true },
          })
        : null;
      if (!enrollment) {
        await access(principal, programId); // 404 when the program is not visible at all
        throw new AppError('not_enrolled', 'You are not enrolled in this program.');
      }
      if (enrollment.status === 'withdrawn')
        throw new AppError('not_enrolled', 'You are no longer enrolled in this program.');
      if (enrollment.program.status !== 'published')
        throw new AppError('program_not_open', 'This program is not open.');
      const step = isUuid(stepId) ? await prisma.programStep.findFirst({ where: { id: stepId, programId } }) : null;
      if (!step) throw notFound('step_not_found', 'The step');
      return prisma.$transaction(async (tx: Db & Tx) => {
        // Serialize a learner's completions: each recount must see the other's step, or progress is lost.
        await tx.$queryRaw`SELECT id FROM enrollments WHERE id = ${enrollment.id}::uuid FOR UPDATE`;
        await tx.$executeRaw`
          INSERT INTO step_completions (user_id, step_id) VALUES (${principal.id}::uuid, ${stepId}::uuid)
          ON CONFLICT (user_id, step_id) DO NOTHING`;
        await queueCertificates(deps, tx, await recomputeProgress(tx, programId, principal.id));
        await tx.user.update({ where: { id: principal.id }, data: { lastActivityAt: new Date() } });
        const after = await tx.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } });
        return {
          programId,
          stepId,
          status: after.status,
          progress: after.progress,
          completedAt: after.completedAt?.toISOString() ?? null,
        };
      });
    },
  };
}
