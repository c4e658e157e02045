import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assignmentResultSchema,
  createProgramBodySchema,
  dryRunQuerySchema,
  enrollmentSchema,
  groupRefSchema,
  listEnrollmentsQuerySchema,
  listProgramsQuerySchema,
  page,
  patchProgramBodySchema,
  pathId,
  programSchema,
  stepCompletionResultSchema,
  unassignmentPreviewSchema,
} from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { pageWithLink } from '../../lib/pagination.ts';
import { principalOf } from '../../plugins/auth.ts';
import { programsService } from './programs.service.ts';

const programParams = z.object({ programId: pathId() });
const tags = ['programs'];

export const programsRoutes: FastifyPluginAsyncZod = async (app) => {
  const programs = programsService(app);

  app.get(
    '/programs',
    {
      schema: {
        operationId: 'listPrograms',
        tags,
        summary: 'Programs I manage (all of them for admins)',
        description:
          'The programs the caller manages: all of them for admins, those they created or refer for trainers, the published catalogue for group admins. Learners answer 403 (theirs are under `/me/programs`).',
        querystring: listProgramsQuerySchema,
        response: { 200: page(programSchema), ...problems(...authProblems, 403) },
      },
    },
    async (request, reply) => pageWithLink(request, reply, await programs.list(principalOf(request), request.query)),
  );

  app.post(
    '/programs',
    {
      schema: {
        operationId: 'createProgram',
        tags,
        summary: 'Create a program with its ordered steps',
        description:
          'Creates a program, as a draft, with its ordered steps. Trainers and admins; the referent must be staff (422 otherwise).',
        body: createProgramBodySchema,
        response: { 201: programSchema, ...problems(...authProblems, 403, 422) },
      },
    },
    async (request, reply) => {
      const program = await programs.create(principalOf(request), request.body);
      return reply.code(201).header('location', `/api/v1/programs/${program.id}`).send(program);
    },
  );

  app.get(
    '/programs/:programId',
    {
      schema: {
        operationId: 'getProgram',
        tags,
        summary: 'One program with its steps and groups',
        description:
          'One program with its steps and the groups it is assigned to. For its managers, and for the learners and observers it reaches; 404 otherwise.',
        params: programParams,
        response: { 200: programSchema, ...problems(...authProblems, 404) },
      },
    },
    async (request) => programs.get(principalOf(request), request.params.programId),
  );

  app.patch(
    '/programs/:programId',
    {
      schema: {
        operationId: 'updateProgram',
        tags,
        summary: 'Change a program; publishing it enrolls every learner its groups reach',
        description:
          'Changes a program’s details or steps. Publishing it enrolls every learner its groups reach; archiving it closes it to new enrollments. Its creator, referent, trainers and admins.',
        params: programParams,
        body: patchProgramBodySchema,
        response: { 200: programSchema, ...problems(...authProblems, 403, 404, 409, 422) },
      },
    },
    async (request) => programs.update(principalOf(request), request.params.programId, request.body),
  );

  app.delete(
    '/programs/:programId',
    {
      schema: {
        operationId: 'deleteProgram',
        tags,
        summary: 'Delete a program nobody has progress in (archive it otherwise)',
        description:
          'Deletes a program in which nobody has progress; one with progress answers 409 (archive it instead). Its creator, referent and admins.',
        params: programParams,
        response: { 204: z.null().describe('Deleted'), ...problems(...authProblems, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await programs.remove(principalOf(request), request.params.programId);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/programs/:programId/groups/:group',
    {
      schema: {
        operationId: 'assignProgram',
        tags: ['assignment'],
        summary: 'Assign a program to a group: its learners and its subgroups’ are enrolled (`dryRun=true` only tells who)',
        description:
          'Assigns a program to a group: the learners of the group and of its subgroups are enrolled. `dryRun=true` only tells who would be. Program managers, and group admins for published programs in the groups they manage.',
        params: programParams.extend({ group: groupRefSchema }),
        querystring: dryRunQuerySchema,
        response: { 200: assignmentResultSchema, ...problems(...authProblems, 403, 404) },
      },
    },
    async (request) =>
      programs.assign(principalOf(request), request.params.programId, request.params.group, request.query.dryRun ?? false),
  );

  app.delete(
    '/programs/:programId/groups/:group',
    {
      schema: {
        operationId: 'unassignProgram',
        tags: ['assignment'],
        summary:
          'Unassign a program from a group; unstarted enrollments nothing else holds are withdrawn (`dryRun=true` tells how many)',
        description:
          'Takes a program away from a group: the unstarted enrollments that nothing else holds are withdrawn, started ones are kept. `dryRun=true` only tells how many.',
        params: programParams.extend({ group: groupRefSchema }),
        querystring: dryRunQuerySchema,
        response: { 200: unassignmentPreviewSchema, 204: z.null().describe('Unassigned'), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      const dryRun = request.query.dryRun ?? false;
      const result = await programs.unassign(principalOf(request), request.params.programId, request.params.group, dryRun);
      return result ?? reply.code(204).send(null);
    },
  );

  app.get(
    '/programs/:programId/enrollments',
    {
      schema: {
        operationId: 'listProgramEnrollments',
        tags: ['enrollment'],
        summary: 'Who is enrolled and why (observers see the learners of the groups they cover)',
        description:
          'Who is enrolled in a program, with progress and the sources that hold each enrollment. Program managers see everyone; observers the learners of the groups they cover.',
        params: programParams,
        querystring: listEnrollmentsQuerySchema,
        response: { 200: page(enrollmentSchema), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => pageWithLink(request, reply, await programs.enrollments(principalOf(request), request.params.programId, request.query)),
  );

  app.post(
    '/programs/:programId/steps/:stepId/complete',
    {
      schema: {
        operationId: 'completeStep',
        tags: ['progress'],
        summary: 'Mark a step done (idempotent); progress and status follow',
        description:
          'Marks a step of my program done; doing it again changes nothing. My progress and status follow, and completing the last step issues the certificate. 404 when I am not enrolled.',
        params: programParams.extend({ stepId: pathId() }),
        response: { 200: stepCompletionResultSchema, ...problems(...authProblems, 403, 404, 422) },
      },
    },
    async (request) => programs.completeStep(principalOf(request), request.params.programId, request.params.stepId),
  );
};
