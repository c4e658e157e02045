import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  groupRoles,
  groupRoleSchema,
  idSchema,
  MAX_ROWS,
  meSchema,
  myProgramSchema,
  page,
  patchMeBodySchema,
} from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { personOf } from '../../plugins/auth.ts';
import { meService } from './me.service.ts';


const myGroupSchema = z.object({
  id: idSchema,
  name: z.string().max(200),
  description: z.string().max(5000).nullable(),
  parentId: idSchema.nullable(),
  logoUrl: z.string().max(200).nullable().describe('Path of the image'),
  colors: z.record(z.string().max(20), z.string().max(7)).describe('`primary` and `accent`, like #1a2b3c'),
  roles: z.array(groupRoleSchema).max(groupRoles.length),
});

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
