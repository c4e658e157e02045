import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createRuleBodySchema,
  groupRefSchema,
  groupRuleSchema,
  idSchema,
  page,
  paginationQuery,
  patchRuleBodySchema,
  previewRuleBodySchema,
  ruleDiffSchema,
  ruleMemberSchema,
  dryRunQuerySchema,
  groupRulesPageSchema,
  ruleUpdateSchema,
} from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { pageWithLink } from '../../lib/pagination.ts';
import { principalOf } from '../../plugins/auth.ts';
import { rulesService } from './rules.service.ts';

const groupParams = z.object({ group: groupRefSchema });
const ruleParams = z.object({ group: groupRefSchema, ruleId: idSchema });
const tags = ['rules'];

export const rulesRoutes: FastifyPluginAsyncZod = async (app) => {
  const rules = rulesService(app);

  app.get(
    '/groups/:group/rules',
    {
      schema: {
        operationId: 'listGroupRules',
        tags,
        summary: 'Membership rules of a group: matching users are its learners',
        description:
          'The membership rules of a group: expressions on people’s attributes whose matching users are its learners. Workspace admins.',
        params: groupParams,
        response: { 200: groupRulesPageSchema, ...problems(...authProblems, 403, 404) },
      },
    },
    async (request) => rules.list(principalOf(request), request.params.group),
  );

  app.post(
    '/groups/:group/rules',
    {
      schema: {
        operationId: 'createGroupRule',
        tags,
        summary: 'Add a membership rule; matching active users become learners at once (`dryRun=true` only tells who)',
        description:
          'Adds a membership rule: matching active users become learners of the group at once and are enrolled in its programs. `dryRun=true` only tells who would join. Workspace admins; an invalid expression answers 422.',
        params: groupParams,
        querystring: dryRunQuerySchema,
        body: createRuleBodySchema,
        response: { 201: groupRuleSchema, 200: ruleDiffSchema, ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      const { group } = request.params;
      const result = await rules.create(principalOf(request), group, request.body, request.query.dryRun ?? false);
      if ('dryRun' in result) return reply.code(200).send(result);
      return reply.code(201).header('location', `/api/v1/groups/${group}/rules/${result.id}`).send(result);
    },
  );

  app.post(
    '/groups/:group/rules/preview',
    {
      schema: {
        operationId: 'previewGroupRule',
        tags,
        summary: 'Dry run: who would join and who would leave with this expression (replacing `ruleId`, if given)',
        description:
          'Dry run of an expression: who would join and who would leave, replacing the rule `ruleId` if given. Nothing is written. Workspace admins.',
        params: groupParams,
        body: previewRuleBodySchema,
        response: { 200: ruleDiffSchema, ...problems(...authProblems, 403, 404) },
      },
    },
    async (request) => rules.preview(principalOf(request), request.params.group, request.body),
  );

  app.get(
    '/groups/:group/rules/:ruleId',
    {
      schema: {
        operationId: 'getGroupRule',
        tags,
        summary: 'One membership rule, with its explanation',
        description: 'One membership rule, with its expression explained in words. Workspace admins.',
        params: ruleParams,
        response: { 200: groupRuleSchema, ...problems(...authProblems, 403, 404) },
      },
    },
    async (request) => rules.get(principalOf(request), request.params.group, request.params.ruleId),
  );

  app.patch(
    '/groups/:group/rules/:ruleId',
    {
      schema: {
        operationId: 'updateGroupRule',
        tags,
        summary: 'Rename or change a rule; memberships are re-evaluated (`dryRun=true` only tells who joins and leaves)',
        description:
          'Renames a rule or changes its expression; memberships are re-evaluated at once. `dryRun=true` only tells who would join and leave. Workspace admins.',
        params: ruleParams,
        querystring: dryRunQuerySchema,
        body: patchRuleBodySchema,
        response: { 200: ruleUpdateSchema, ...problems(...authProblems, 403, 404, 422) },
      },
    },
    async (request) =>
      rules.update(principalOf(request), request.params.group, request.params.ruleId, request.body, request.query.dryRun ?? false),
  );

  app.delete(
    '/groups/:group/rules/:ruleId',
    {
      schema: {
        operationId: 'deleteGroupRule',
        tags,
        summary: 'Delete a rule; the memberships it made end unless another rule of the group matches',
        description:
          'Deletes a rule; the memberships it made end unless another rule of the group matches the person. Workspace admins.',
        params: ruleParams,
        response: { 204: z.null().describe('Deleted'), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      await rules.remove(principalOf(request), request.params.group, request.params.ruleId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/groups/:group/rules/:ruleId/members',
    {
      schema: {
        operationId: 'listGroupRuleMembers',
        tags,
        summary: 'The learners a rule put in the group, each with the reason',
        description:
          'The learners a rule put in the group, each with the attribute values that matched. Workspace admins.',
        params: ruleParams,
        querystring: paginationQuery,
        response: { 200: page(ruleMemberSchema), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => pageWithLink(request, reply, await rules.members(principalOf(request), request.params.group, request.params.ruleId, request.query)),
  );
};
