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
    { schema: { operationId: 'getMe', tags, summary: 'The signed-in user', response: { 200: meSchema, ...problems(...authProblems, 403) } } },
    async (request) => me.get(personOf(request)),
  );
  app.patch(
    '/me',
    {
      schema: {
        operationId: 'updateMe',
        tags,
        summary: 'Change my name, password or notification preferences',
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
        response: { 200: page(myProgramSchema, MAX_ROWS), ...problems(...authProblems, 403) },
      },
    },
    async (request) => me.programs(personOf(request)),
  );
};
