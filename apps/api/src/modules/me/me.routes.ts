import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  MAX_ROWS,
  meSchema,
  myGroupSchema,
  myProgramSchema,
  page,
  patchMeBodySchema,
} from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { personOf } from '../../plugins/auth.ts';
import { meService } from './me.service.ts';



export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  const me = meService(app);
  const tags = ['me'];

  app.get(
    '/me',
    { schema: { operationId: 'getMe', tags, summary: 'The signed-in user', description: 'The signed-in person’s account: profile, workspace role and notification preferences. Any signed-in person; integration clients have no “me” (403).', response: { 200: meSchema, ...problems(...authProblems, 403) } } },
    async (request) => me.get(personOf(request)),
  );
  app.patch(
    '/me',
    {
      schema: {
        operationId: 'updateMe',
        tags,
        summary: 'Change my name, password or notification preferences',
        description:
          'Changes my own name, password (the current one is required) or notification preferences. Changing the password signs out my other sessions.',
        body: patchMeBodySchema,
        response: { 200: meSchema, ...problems(...authProblems, 403, 422) },
      },
    },
    async (request) => me.update(personOf(request), request.body, (request.user as { sid?: string } | undefined)?.sid),
  );
  app.get(
    '/me/groups',
    {
      schema: {
        operationId: 'listMyGroups',
        tags,
        summary: 'The groups I belong to, with my roles in each',
        description:
          'The groups I belong to, each with my roles in it (learner, observer, group admin). Any signed-in person.',
        response: { 200: page(myGroupSchema, MAX_ROWS), ...problems(...authProblems, 403) },
      },
    },
    async (request) => me.groups(personOf(request)),
  );
  app.get(
    '/me/programs',
    {
      schema: {
        operationId: 'listMyPrograms',
        tags,
        summary: 'My programs, in progress first',
        description: 'The programs I am enrolled in, with my progress; those in progress first. Any signed-in person.',
        response: { 200: page(myProgramSchema, MAX_ROWS), ...problems(...authProblems, 403) },
      },
    },
    async (request) => me.programs(personOf(request)),
  );
};
