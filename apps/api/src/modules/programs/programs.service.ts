import type { Deps } from '../../lib/deps.ts';
import type { z } from 'zod';
import type { createProgramBodySchema, listProgramsQuerySchema, patchProgramBodySchema } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { audit } from '../../lib/audit.ts';
import { AppError, notFound, type FieldError } from '../../lib/errors.ts';
import { createdBefore, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import type { Tx } from '../../db/sql.ts';
import { authorize, programListScope, requireProgram, canBeReferent } from '../../policy/index.ts';
import { learnersOfSubtree, reconcileEnrollments } from '../enrollments/enrollment-engine.ts';
import { recomputeProgress } from '../enrollments/progress.ts';
import { queueCertificates } from '../documents/certificate.ts';
import { programAssignments } from './program-assignments.ts';
import { programEnrollments } from './program-enrollments.ts';
import { programInclude, toProgram } from './program-view.ts';

type CreateBody = z.output<typeof createProgramBodySchema>;
type PatchBody = z.output<typeof patchProgramBodySchema>;
type StepInput = CreateBody['steps'][number];

/** Programs: reading, the list, creating, changing (steps and status included) and deleting; assignments and enrollments in their own files. */
export function programsService(deps: Deps<'db' | 'boss'>) {
  const prisma = deps.db.prisma;
  const access = (principal: Principal, programId: string) => requireProgram(prisma, principal, programId, 'see');
  const manageable = (principal: Principal, programId: string) =>
    requireProgram(prisma, principal, programId, 'manage');

  async function get(principal: Principal, programId: string) {
    await access(principal, programId);
    return toProgram(await prisma.program.findUniqueOrThrow({ where: { id: programId }, include: programInclude }));
  }

  async function checkFields(
    tx: Tx,
    body: { referentId?: string | null; startsAt?: string | null; endsAt?: string | null },
    current?: { startsAt: Date | null; endsAt: Date | null },
  ) {
    const errors: FieldError[] = [];
    if (body.referentId) {
      const referent = await tx.user.findUnique({
        where: { id: body.referentId },
        select: { status: true, role: true },
      });
      if (!referent || referent.status !== 'active')
        errors.push({ field: 'body.referentId', message: 'unknown or inactive user' });
      else if (!canBeReferent(referent.role))
        errors.push({ field: 'body.referentId', message: 'must be a trainer, an admin or an owner' });
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
      if (s.id && !known.has(s.id))
        errors.push({ field: `body.steps.${i}.id`, message: 'is not a step of this program' });
      else if (s.id && seen.has(s.id)) errors.push({ field: `body.steps.${i}.id`, message: 'appears more than once' });
      if (s.id) seen.add(s.id);
    });
    if (errors.length) throw new AppError('invalid_reference', 'Some steps do not belong to this program.', errors);
    const kept = new Set(steps.map((s) => s.id).filter(Boolean));
    const dropped = existing.filter((s) => !kept.has(s.id));
    if (dropped.some((s) => s._count.completions > 0))
      throw new AppError(
        'step_has_completions',
        'A step that learners completed cannot be removed; archive the program instead.',
      );
    await tx.programStep.deleteMany({ where: { id: { in: dropped.map((s) => s.id) } } });
    // Park positions out of the way first: (program_id, position) is unique.
    await tx.$executeRaw`UPDATE program_steps SET position = -1 - position WHERE program_id = ${programId}::uuid`;
    for (const [position, step] of steps.entries()) {
      if (step.id)
        await tx.programStep.update({
          where: { id: step.id },
          data: { position, title: step.title, content: step.content },
        });
      else await tx.programStep.create({ data: { programId, position, title: step.title, content: step.content } });
    }
  }

  /** All learners reached by the program's assignments, for a reconcile when the program becomes ongoing. */
  const learnersOfAssignments = (programId: string) =>
    learnersOfSubtree(Prisma.sql`SELECT group_id FROM program_assignments WHERE program_id = ${programId}::uuid`);

  return {
    get,
    ...programAssignments(prisma),
    ...programEnrollments(deps),

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
        throw new AppError(
          'program_has_progress',
          'Learners have progress in this program; archive it instead of deleting it.',
        );
      await prisma.$transaction(async (tx) => {
        await tx.program.delete({ where: { id: programId } });
        await audit(tx, principal, 'program.delete', { type: 'program', id: programId });
      });
    },
  };
}
