import type { Deps } from '../../lib/deps.ts';
import type { z } from 'zod';
import type {
  createProgramBodySchema,
  listEnrollmentsQuerySchema,
  listProgramsQuerySchema,
  patchProgramBodySchema,
} from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { audit } from '../../lib/audit.ts';
import { AppError, forbidden, notFound, type FieldError } from '../../lib/errors.ts';
import { rehearse } from '../../lib/dry-run.ts';
import { emit } from '../../db/outbox.ts';
import { createdBefore, decodeCursor, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import { isUuid } from '../../lib/refs.ts';
import type { Db, Tx } from '../../db/sql.ts';
import { authorize, coveringGroups, enrollmentsScope, programListScope, requireAssignment, requireProgram, canBeReferent } from '../../policy/index.ts';
import {
  learnersOfSubtree,
  previewEnrollments,
  reconcileEnrollments,
} from '../enrollments/enrollment-engine.ts';
import { recomputeProgress } from '../enrollments/progress.ts';
import { queueCertificates } from '../documents/certificate.ts';
import { programInclude, toProgram } from './program-view.ts';
import { toUserSummary, type UserSummaryRow } from '../../db/user-summary.ts';

/** How many newly enrolled learners an assignment (or its dry run) lists by name; the count is always exact. */
const ENROLLED_SAMPLE = 1000;

type CreateBody = z.output<typeof createProgramBodySchema>;
type PatchBody = z.output<typeof patchProgramBodySchema>;
type StepInput = CreateBody['steps'][number];

export function programsService(deps: Deps<'db' | 'boss'>) {
  const prisma = deps.db.prisma;
  const access = (principal: Principal, programId: string) => requireProgram(prisma, principal, programId, 'see');
  const manageable = (principal: Principal, programId: string) => requireProgram(prisma, principal, programId, 'manage');

  async function get(principal: Principal, programId: string) {
    await access(principal, programId);
    return toProgram(await prisma.program.findUniqueOrThrow({ where: { id: programId }, include: programInclude }));
  }

  async function checkFields(tx: Tx, body: { referentId?: string | null; startsAt?: string | null; endsAt?: string | null }, current?: { startsAt: Date | null; endsAt: Date | null }) {
    const errors: FieldError[] = [];
    if (body.referentId) {
      const referent = await tx.user.findUnique({ where: { id: body.referentId }, select: { status: true, role: true } });
      if (!referent || referent.status !== 'active') errors.push({ field: 'body.referentId', message: 'unknown or inactive user' });
      else if (!canBeReferent(referent.role)) errors.push({ field: 'body.referentId', message: 'must be a trainer, an admin or an owner' });
    }
    const startsAt = body.startsAt !== undefined ? body.startsAt : current?.startsAt?.toISOString();
    const endsAt = body.endsAt !== undefined ? body.endsAt : current?.endsAt?.toISOString();
    if (startsAt && endsAt && new Date(endsAt) <= new Date(startsAt))
      errors.push({ field: 'body.endsAt', message: 'must be after startsAt' });
    if (errors.length) throw new AppError('unprocessable', 'The program is not valid.', errors);
  }

  /** Replaces the step list: kept steps (by id) are updated, new ones added; a step someone completed is never deleted. */
  async function replaceSteps(tx: Tx, programId: string, steps: StepInput[]) {
    const existing = await tx.programStep.findMany({
      where: { programId },
      select: { id: true, _count: { select: { completions: true } } },
    });
    const known = new Set(existing.map((s) => s.id));
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    steps.forEach((s, i) => {
      if (s.id && !known.has(s.id)) errors.push({ field: `body.steps.${i}.id`, message: 'is not a step of this program' });
      else if (s.id && seen.has(s.id)) errors.push({ field: `body.steps.${i}.id`, message: 'appears more than once' });
      if (s.id) seen.add(s.id);
    });
    if (errors.length) throw new AppError('invalid_reference', 'Some steps do not belong to this program.', errors);
    const kept = new Set(steps.map((s) => s.id).filter(Boolean));
    const dropped = existing.filter((s) => !kept.has(s.id));
    if (dropped.some((s) => s._count.completions > 0))
      throw new AppError('step_has_completions', 'A step that learners completed cannot be removed; archive the program instead.');
    await tx.programStep.deleteMany({ where: { id: { in: dropped.map((s) => s.id) } } });
    // Park positions out of the way first: (program_id, position) is unique.
    await tx.$executeRaw`UPDATE program_steps SET position = -1 - position WHERE program_id = ${programId}::uuid`;
    for (const [position, step] of steps.entries()) {
      if (step.id) await tx.programStep.update({ where: { id: step.id }, data: { position, title: step.title, content: step.content } });
      else await tx.programStep.create({ data: { programId, position, title: step.title, content: step.content } });
    }
  }

  /** All learners reached by the program's assignments, for a reconcile when the program becomes ongoing. */
  const learnersOfAssignments = (programId: string) =>
    learnersOfSubtree(Prisma.sql`SELECT group_id FROM program_assignments WHERE program_id = ${programId}::uuid`);

  return {
    get,

    async list(principal: Principal, query: z.output<typeof listProgramsQuerySchema>) {
      const scope = await programListScope(prisma, principal);
      const mine: Prisma.ProgramWhereInput =
        scope === 'all' || principal.type !== 'user'
          ? {}
          : scope === 'published'
            ? { status: 'published' }
            : { OR: [{ createdById: principal.id }, { referentId: principal.id }] };
      const rows = await prisma.program.findMany({
        where: {
          AND: [
            mine,
            query.status ? { status: query.status } : {},
            query.q ? { title: { contains: query.q, mode: 'insensitive' } } : {},
            createdBefore(query.cursor),
          ],
        },
        include: programInclude,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
      });
      const page = toPage(rows, query.limit, (p) => [p.createdAt.toISOString(), p.id]);
      return { items: page.items.map(toProgram), nextCursor: page.nextCursor };
    },

    async create(principal: Principal, body: CreateBody) {
      authorize(principal, 'createPrograms');
      if (principal.type !== 'user') throw notFound('program_not_found', 'The program');
      const program = await prisma.$transaction(async (tx) => {
        await checkFields(tx, body);
        const created = await tx.program.create({
          data: {
            title: body.title,
            description: body.description ?? null,
            referentId: body.referentId ?? null,
            createdById: principal.id,
            startsAt: body.startsAt ? new Date(body.startsAt) : null,
            endsAt: body.endsAt ? new Date(body.endsAt) : null,
            status: body.status,
            steps: { create: body.steps.map((s, position) => ({ position, title: s.title, content: s.content })) },
          },
        });
        await audit(tx, principal, 'program.create', { type: 'program', id: created.id });
        return created;
      });
      return get(principal, program.id);
    },

    async update(principal: Principal, programId: string, body: PatchBody) {
      await manageable(principal, programId);
      await prisma.$transaction(async (tx) => {
        const current = await tx.program.findUniqueOrThrow({ where: { id: programId } });
        await checkFields(tx, body, current);
        await tx.program.update({
          where: { id: programId },
          data: {
            title: body.title,
            description: body.description,
            referentId: body.referentId,
            startsAt: body.startsAt === undefined ? undefined : body.startsAt && new Date(body.startsAt),
            endsAt: body.endsAt === undefined ? undefined : body.endsAt && new Date(body.endsAt),
            status: body.status,
          },
        });
        if (body.steps) {
          await replaceSteps(tx, programId, body.steps);
          await queueCertificates(deps, tx, await recomputeProgress(tx, programId));
        }
        // Publishing (or re-opening) a program enrolls, retroactively, every learner its groups reach.
        if (body.status !== undefined || body.endsAt !== undefined)
          await reconcileEnrollments(tx, { users: learnersOfAssignments(programId), programId });
        await audit(tx, principal, 'program.update', { type: 'program', id: programId }, { fields: Object.keys(body) });
      });
      return get(principal, programId);
    },

    async remove(principal: Principal, programId: string) {
      await manageable(principal, programId);
      const started = await prisma.enrollment.count({ where: { programId, progress: { gt: 0 } } });
      if (started > 0)
        throw new AppError('program_has_progress', 'Learners have progress in this program; archive it instead of deleting it.');
      await prisma.$transaction(async (tx) => {
        await tx.program.delete({ where: { id: programId } });
        await audit(tx, principal, 'program.delete', { type: 'program', id: programId });
      });
    },

    async assign(principal: Principal, programId: string, groupRef: string, dryRun: boolean) {
      const { groupId } = await requireAssignment(prisma, principal, programId, groupRef, 'assign');
      const scope = { users: learnersOfSubtree(groupId), programId };
      if (dryRun) {
        // The preview counts the assignment as if it existed: run it in a transaction that is rolled back.
        const preview = await rehearse(prisma, async (tx) => {
          await tx.$executeRaw`INSERT INTO program_assignments (program_id, group_id) VALUES (${programId}::uuid, ${groupId}::uuid) ON CONFLICT DO NOTHING`;
          return previewEnrollments(tx, scope, ENROLLED_SAMPLE);
        });
        return { programId, groupId, dryRun: true, assigned: false, enrolledCount: preview.count, enrolled: preview.users };
      }
      return prisma.$transaction(async (tx) => {
        const inserted = await tx.$executeRaw`
          INSERT INTO program_assignments (program_id, group_id, assigned_by_id)
          VALUES (${programId}::uuid, ${groupId}::uuid, ${principal.type === 'user' ? principal.id : null}::uuid)
          ON CONFLICT (program_id, group_id) DO NOTHING`;
        const result = await reconcileEnrollments(tx, scope, ENROLLED_SAMPLE);
        if (inserted > 0) {
          await emit(tx, 'program.assigned', { programId, groupId });
          await audit(tx, principal, 'program.assign', { type: 'program', id: programId }, { groupId });
        }
        return { programId, groupId, dryRun: false, assigned: true, enrolledCount: result.enrolled, enrolled: result.sample ?? [] };
      });
    },

    /** Removes an assignment; `dryRun` answers how many unstarted enrollments it would withdraw. */
    async unassign(principal: Principal, programId: string, groupRef: string, dryRun = false) {
      const { groupId } = await requireAssignment(prisma, principal, programId, groupRef, 'unassign');
      const change = async (tx: Tx) => {
        const deleted = await tx.programAssignment.deleteMany({ where: { programId, groupId } });
        if (deleted.count === 0) throw notFound('not_found', 'This assignment');
        const { withdrawn } = await reconcileEnrollments(tx, { users: learnersOfSubtree(groupId), programId });
        await emit(tx, 'program.unassigned', { programId, groupId });
        await audit(tx, principal, 'program.unassign', { type: 'program', id: programId }, { groupId });
        return withdrawn;
      };
      if (!dryRun) return void (await prisma.$transaction(change));
      return { dryRun: true as const, programId, groupId, withdrawnCount: await rehearse(prisma, change) };
    },

    async enrollments(principal: Principal, programId: string, query: z.output<typeof listEnrollmentsQuerySchema>) {
      const all = (await enrollmentsScope(prisma, principal, programId)) === 'all';
      const after = decodeCursor(query.cursor, ['text']);
      const viewer = principal.type === 'user' ? principal.id : null;
      const rows = await prisma.$queryRaw<
        (UserSummaryRow & { status: string; progress: number; completed_at: Date | null; sources: { groupId: string; groupName: string }[] })[]
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
        ? await prisma.enrollment.findUnique({ where: { userId_programId: { userId: principal.id, programId } }, include: { program: true } })
        : null;
      if (!enrollment) {
        await access(principal, programId); // 404 when the program is not visible at all
        throw new AppError('not_enrolled', 'You are not enrolled in this program.');
      }
      if (enrollment.status === 'withdrawn') throw new AppError('not_enrolled', 'You are no longer enrolled in this program.');
      if (enrollment.program.status !== 'published') throw new AppError('program_not_open', 'This program is not open.');
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
