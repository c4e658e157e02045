import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  groupRefSchema,
  groupStatsSchema,
  learnerStatsQuerySchema,
  learnerStatsRowSchema,
  MAX_LEARNERS_PAGE,
  myStatsSchema,
  page,
  pathId,
  programStatsSchema,
} from '@covey/schema';
import { authProblems, csvSchema, mediaResponse, problems } from '../../lib/openapi.ts';
import { pageWithLink } from '../../lib/pagination.ts';
import { personOf, principalOf } from '../../plugins/auth.ts';
import { statsService } from './stats.service.ts';

export const statsRoutes: FastifyPluginAsyncZod = async (app) => {
  const stats = statsService(app);
  const tags = ['stats'];

  app.get(
    '/me/stats',
    { schema: { operationId: 'getMyStats', tags, summary: 'My programs, progress, steps done, last activity and streak of active weeks', description: 'My own figures: programs, progress, steps done, last activity and streak of active weeks.', response: { 200: myStatsSchema, ...problems(...authProblems, 403) } } },
    async (request) => stats.myStats(personOf(request)),
  );

  app.get(
    '/groups/:group/stats',
    {
      schema: {
        operationId: 'getGroupStats',
        tags,
        summary: 'Statistics of a group and its subgroups: participation, completion, per program, weekly activity',
        description:
          'Figures of a group and its subgroups: participation, completion, per program, weekly activity. Its observers, group admins and workspace admins.',
        params: z.object({ group: groupRefSchema }),
        response: { 200: groupStatsSchema, ...problems(...authProblems, 403, 404) },
      },
    },
    async (request) => stats.groupStats(principalOf(request), request.params.group),
  );

  app.get(
    '/groups/:group/stats/learners',
    {
      schema: {
        operationId: 'listGroupLearnerStats',
        tags,
        summary: 'One row per learner of the subtree (`Accept: text/csv` streams the whole table as CSV)',
        description:
          'One row per learner of the subtree with their progress; `Accept: text/csv` streams the whole table as a CSV file. Observers, group admins and workspace admins.',
        params: z.object({ group: groupRefSchema }),
        querystring: learnerStatsQuerySchema,
        response: {
          200: mediaResponse('A page of rows, or (Accept: text/csv) the whole table', { 'application/json': page(learnerStatsRowSchema, MAX_LEARNERS_PAGE), 'text/csv': csvSchema() }),
          ...problems(...authProblems, 403, 404),
        },
      },
    },
    async (request, reply) => {
      if (request.headers.accept?.includes('text/csv')) {
        const stream = await stats.learnersCsv(principalOf(request), request.params.group, request.query);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="learners.csv"')
          .send(stream);
      }
      return pageWithLink(request, reply, await stats.learners(principalOf(request), request.params.group, request.query));
    },
  );

  app.get(
    '/programs/:programId/stats',
    {
      schema: {
        operationId: 'getProgramStats',
        tags,
        summary: 'Statistics of a program for its referent, trainer and admins',
        description:
          'Figures of a program: enrollments, progress and completion per step. Its referent, trainers and admins.',
        params: z.object({ programId: pathId() }),
        response: { 200: programStatsSchema, ...problems(...authProblems, 403, 404) },
      },
    },
    async (request) => stats.programStats(principalOf(request), request.params.programId),
  );
};
