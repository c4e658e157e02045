import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createGroupBodySchema,
  groupRefSchema,
  groupDeletionSchema,
  groupObserverSchema,
  groupProgramSchema,
  groupSchema,
  listGroupsQuerySchema,
  listMembersQuerySchema,
  memberRemovalSchema,
  memberRolesResultSchema,
  memberSchema,
  page,
  patchGroupBodySchema,
  putMemberBodySchema,
  userRefSchema,
  imageUploadFormSchema,
  imageUploadTypes,
  dryRunQuerySchema,
  removeMemberQuerySchema,
} from '@covey/schema';
import { readUpload } from '../../lib/uploads.ts';
import { authProblems, multipartBody, problems } from '../../lib/openapi.ts';
import { pageWithLink } from '../../lib/pagination.ts';
import { principalOf } from '../../plugins/auth.ts';
import type { ImageKind } from '../files/images.ts';
import { groupsService } from './groups.service.ts';

const groupParams = z.object({ group: groupRefSchema });
const memberParams = z.object({ group: groupRefSchema, user: userRefSchema });
const tags = ['groups'];

export const groupsRoutes: FastifyPluginAsyncZod = async (app) => {
  const groups = groupsService(app);

  app.get(
    '/groups',
    {
      schema: {
        operationId: 'listGroups',
        tags,
        summary: 'The groups the caller may see (`parentId` walks the tree)',
        description:
          'The groups the caller may see: the whole tree for admins, their subtrees and the groups they learn in for others. `parentId` lists one level; `q` searches by name; `manageable=true` keeps the groups the caller may manage (every group for admins, a group admin’s subtrees, none for others); `outside` leaves out a group and its subtree (an unseen one answers 422).',
        querystring: listGroupsQuerySchema,
        response: { 200: page(groupSchema), ...problems(...authProblems, 422) },
      },
    },
    async (request, reply) => pageWithLink(request, reply, await groups.list(principalOf(request), request.query)),
  );

  app.post(
    '/groups',
    {
      schema: {
        operationId: 'createGroup',
        tags,
        summary: 'Create a group (admins; group admins under their own groups)',
        description:
          'Creates a group at the root (admins) or under a group (admins, and group admins under a group they manage). A sibling with the same name answers 409.',
        body: createGroupBodySchema,
        response: { 201: groupSchema, ...problems(...authProblems, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const group = await groups.create(principalOf(request), request.body);
      return reply.code(201).header('location', `/api/v1/groups/${group.id}`).send(group);
    },
  );

  app.get(
    '/groups/:group',
    {
      schema: {
        operationId: 'getGroup',
        tags,
        summary: 'One group, with its branding',
        description:
          'One group with its branding (logo, background, welcome message, colours). A group the caller may not see answers 404.',
        params: groupParams,
        response: { 200: groupSchema, ...problems(...authProblems, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { id } = await groups.access(principal, request.params.group);
      return groups.view(principal, id);
    },
  );

  app.patch(
    '/groups/:group',
    {
      schema: {
        operationId: 'updateGroup',
        tags,
        summary: 'Rename, describe, move, or brand (welcome message, colours) a group',
        description:
          'Renames, describes, moves or brands a group. Its admins and workspace admins; moving needs authority over the new parent too, and a cycle answers 422.',
        params: groupParams,
        body: patchGroupBodySchema,
        response: { 200: groupSchema, ...problems(...authProblems, 403, 404, 409, 422) },
      },
    },
    async (request) => groups.update(principalOf(request), request.params.group, request.body),
  );

  app.delete(
    '/groups/:group',
    {
      schema: {
        operationId: 'deleteGroup',
        tags,
        summary:
          'Delete a group without subgroups; its learners leave its programs unless another group holds them (`dryRun=true` tells what it would do)',
        description:
          'Deletes a group that has no subgroups (409 otherwise); its learners leave its programs unless another group holds them. `dryRun=true` only tells what it would withdraw. Workspace admins, or group admins strictly above it.',
        params: groupParams,
        querystring: dryRunQuerySchema,
        response: { 200: groupDeletionSchema, 204: z.null().describe('Deleted'), ...problems(...authProblems, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const dryRun = request.query.dryRun ?? false;
      const result = await groups.remove(principalOf(request), request.params.group, dryRun);
      return dryRun ? result : reply.code(204).send(null);
    },
  );

  app.get(
    '/groups/:group/observers',
    {
      schema: {
        operationId: 'listGroupObservers',
        tags: ['members'],
        summary: 'Who follows the group: its observers and those of its ancestors (`via`)',
        description:
          'Who follows the group: its observers and, with `via`, those of its ancestors. For those who may see the group.',
        params: groupParams,
        response: { 200: page(groupObserverSchema, 1000), ...problems(...authProblems, 404) },
      },
    },
    async (request) => groups.observers(principalOf(request), request.params.group),
  );

  app.get(
    '/groups/:group/programs',
    {
      schema: {
        operationId: 'listGroupPrograms',
        tags: ['programs'],
        summary: 'The programs reaching the group: assigned to it or (`via`) to an ancestor; drafts for its managers only',
        description:
          'The programs that reach the group: assigned to it, or with `via` to an ancestor. Drafts are listed to its managers only.',
        params: groupParams,
        response: { 200: page(groupProgramSchema, 1000), ...problems(...authProblems, 404) },
      },
    },
    async (request) => groups.programs(principalOf(request), request.params.group),
  );

  app.get(
    '/groups/:group/members',
    {
      schema: {
        operationId: 'listGroupMembers',
        tags: ['members'],
        summary: 'Members and team of a group, with how each membership was made',
        description:
          'The members and team of a group, each with their roles and how each membership was made (by hand, by rule, by API). Its managers and observers.',
        params: groupParams,
        querystring: listMembersQuerySchema,
        response: { 200: page(memberSchema), ...problems(...authProblems, 404) },
      },
    },
    async (request, reply) => pageWithLink(request, reply, await groups.members(principalOf(request), request.params.group, request.query)),
  );

  app.put(
    '/groups/:group/members/:user',
    {
      schema: {
        operationId: 'setGroupMember',
        tags: ['members'],
        summary: 'Set a user’s roles in a group (an empty list removes them); learners are enrolled in its ongoing programs',
        description:
          'Sets a person’s roles in a group (an empty list removes them); a new learner is enrolled in the group’s ongoing programs. Group admins and workspace admins; an outsider is reachable only by exact `email:` or `ext:` reference.',
        params: memberParams,
        body: putMemberBodySchema,
        response: {
          200: memberRolesResultSchema,
          ...problems(...authProblems, 403, 404),
        },
      },
    },
    async (request) =>
      groups.putMember(principalOf(request), request.params.group, request.params.user, request.body.roles),
  );

  app.delete(
    '/groups/:group/members/:user',
    {
      schema: {
        operationId: 'removeGroupMember',
        tags: ['members'],
        summary:
          'Remove a user from a group (one role with `role=`, else every role set by hand or API; `dryRun=true` tells what it would withdraw)',
        description:
          'Removes a person from a group: one role with `role=`, else every role set by hand or API (memberships made by rules stay). `dryRun=true` only tells which enrollments would be withdrawn.',
        params: memberParams,
        querystring: removeMemberQuerySchema,
        response: { 200: memberRemovalSchema, 204: z.null().describe('Removed'), ...problems(...authProblems, 403, 404) },
      },
    },
    async (request, reply) => {
      const { role, dryRun } = request.query;
      const result = await groups.deleteMember(principalOf(request), request.params.group, request.params.user, role, dryRun ?? false);
      return dryRun ? result : reply.code(204).send(null);
    },
  );

  for (const kind of ['logo', 'background'] as const satisfies ImageKind[]) {
    app.put(
      `/groups/:group/${kind}`,
      {
        schema: {
          operationId: kind === 'logo' ? 'setGroupLogo' : 'setGroupBackground',
          tags: ['branding'],
          summary: `Upload the group's ${kind} (multipart field \`file\`; JPEG, PNG, WebP, GIF, AVIF or TIFF; re-encoded to WebP)`,
          description: `Uploads the group’s ${kind}, re-encoded to WebP; the previous image is replaced. Group admins and workspace admins; an unreadable image answers 415, a too large one 413.`,
          ...multipartBody(imageUploadFormSchema, { file: imageUploadTypes }),
          params: groupParams,
          response: { 200: groupSchema, ...problems(...authProblems, 403, 404, 413, 415) },
        },
      },
      async (request) => {
        // Permission first: someone who may not manage the group learns nothing from how their file is judged.
        await groups.manageable(principalOf(request), request.params.group);
        const { data } = await readUpload(request, app.env.UPLOAD_MAX_BYTES);
        return groups.setImage(principalOf(request), request.params.group, kind, data);
      },
    );
    app.delete(
      `/groups/:group/${kind}`,
      {
        schema: {
          operationId: kind === 'logo' ? 'clearGroupLogo' : 'clearGroupBackground',
          tags: ['branding'],
          summary: `Remove the group's ${kind}`,
          description: `Removes the group’s ${kind}; the stored image is deleted. Group admins and workspace admins.`,
          params: groupParams,
          response: { 204: z.null().describe('Removed'), ...problems(...authProblems, 403, 404) },
        },
      },
      async (request, reply) => {
        await groups.clearImage(principalOf(request), request.params.group, kind);
        return reply.code(204).send(null);
      },
    );
  }
};
