import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createUserBodySchema,
  deactivateUserQuerySchema,
  deactivationPreviewSchema,
  listUsersQuerySchema,
  MAX_ROWS,
  ONE_LINE,
  page,
  patchUserBodySchema,
  upsertUserBodySchema,
  userEnrollmentSchema,
  userGroupItemSchema,
  userRefSchema,
  userSchema,
} from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { pageWithLink } from '../../lib/pagination.ts';
import { principalOf } from '../../plugins/auth.ts';
import { toUser } from './user-view.ts';
import { usersService } from './users.service.ts';

const userParams = z.object({ user: userRefSchema });
const tags = ['users'];

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const users = usersService(app);

  app.get(
    '/users',
    {
      schema: {
        operationId: 'listUsers',
        tags,
        summary: 'List and search users',
        description:
          'Lists and searches the people the caller may see (admins and `users:read` clients: the workspace; group admins and observers: their subtrees), cursor-paginated.',
        querystring: listUsersQuerySchema,
        response: { 200: page(userSchema), ...problems(...authProblems, 403, 422) },
      },
    },
    async (request, reply) => pageWithLink(request, reply, await users.list(principalOf(request), request.query)),
  );

  app.post(
    '/users',
    {
      schema: {
        operationId: 'createUser',
        tags,
        summary: 'Create a user, optionally adding them to groups (and so enrolling them) at once',
        description:
          'Creates an account and sends its invitation; `groups` adds the person to groups at once, enrolling them in those groups’ ongoing programs. Admins, `users:write` clients and group admins (in their groups); a duplicate e-mail or externalId answers 409.',
        body: createUserBodySchema,
        response: { 201: userSchema, ...problems(...authProblems, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = await users.create(principalOf(request), request.body);
      return reply.code(201).header('location', `/api/v1/users/${user.id}`).send(toUser(user));
    },
  );

  app.get(
    '/users/:user',
    {
      schema: {
        operationId: 'getUser',
        tags,
        summary: 'One user, by id, `email:` or `ext:` reference',
        description: 'One person, by id, `email:` or `ext:` reference. Someone the caller may not see answers 404.',
        params: userParams,
        response: { 200: userSchema, ...problems(...authProblems, 404) },
      },
    },
    async (request) => users.view(principalOf(request), request.params.user),
  );

  app.patch(
    '/users/:user',
    {
      schema: {
        operationId: 'updateUser',
        tags,
        summary: 'Change a user’s profile, role or status',
        description:
          'Changes a person’s profile, workspace role or status; only a strictly higher rank may (owners manage everyone). Setting someone else’s password answers 403; a taken e-mail 409.',
        params: userParams,
        body: patchUserBodySchema,
        response: { 200: userSchema, ...problems(...authProblems, 403, 404, 409, 422) },
      },
    },
    async (request) => toUser(await users.update(principalOf(request), request.params.user, request.body)),
  );

  app.put(
    '/users/ext:::externalId',
    {
      schema: {
        operationId: 'upsertUserByExternalId',
        tags,
        summary: 'Create or update the user with this externalId (idempotent provisioning)',
        description:
          'Creates the person with this externalId, or updates them: safe to repeat, for HR and provisioning integrations. Admins and `users:write` clients.',
        params: z.object({ externalId: z.string().min(1).max(255).regex(ONE_LINE) }),
        body: upsertUserBodySchema,
        response: { 200: userSchema, 201: userSchema, ...problems(...authProblems, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const result = await users.upsertByExternalId(principalOf(request), request.params.externalId, request.body);
      if (result.created) reply.code(201).header('location', `/api/v1/users/${result.user.id}`);
      return toUser(result.user);
    },
  );

  app.delete(
    '/users/:user',
    {
      schema: {
        operationId: 'deactivateUser',
        tags,
        summary:
          'Deactivate a user (history and stats are kept); `erase=true` also pseudonymizes personal data; `dryRun=true` tells what it would end and keep',
        description:
          'Deactivates a person: their sessions end, history and statistics are kept. `erase=true` also pseudonymizes their personal data; `dryRun=true` only tells what would end and what is kept. Takes a strictly higher rank.',
        params: userParams,
        querystring: deactivateUserQuerySchema,
        response: { 200: deactivationPreviewSchema, 204: z.null().describe('Deactivated'), ...problems(...authProblems, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const { erase, dryRun } = request.query;
      const result = await users.remove(principalOf(request), request.params.user, erase ?? false, dryRun ?? false);
      return result ?? reply.code(204).send(null);
    },
  );

  app.get(
    '/users/:user/groups',
    {
      schema: {
        operationId: 'listUserGroups',
        tags,
        summary: 'The groups of a user, with their roles',
        description:
          'The groups of a person and their roles in each, as far as the caller may see them; 404 for a person out of reach.',
        params: userParams,
        response: { 200: page(userGroupItemSchema, MAX_ROWS), ...problems(...authProblems, 404) },
      },
    },
    async (request) => users.groupsOf(principalOf(request), request.params.user),
  );

  app.get(
    '/users/:user/enrollments',
    {
      schema: {
        operationId: 'listUserEnrollments',
        tags,
        summary: 'The enrollments of a user, with why each exists',
        description:
          'The programs a person is enrolled in, each with its sources (the assignments and memberships that hold it). For those who may see the person.',
        params: userParams,
        response: {
          200: page(userEnrollmentSchema,
            MAX_ROWS,
          ),
          ...problems(...authProblems, 404),
        },
      },
    },
    async (request) => users.enrollmentsOf(principalOf(request), request.params.user),
  );
};
