import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { digestSchema, patchWorkspaceBodySchema, workspaceSettingsSchema as workspaceSchema } from '@covey/schema';
import { forbidden } from '../../lib/errors.ts';
import { authProblems, problems } from '../../lib/openapi.ts';
import { personOf, principalOf } from '../../plugins/auth.ts';
import { authorize } from '../../policy/index.ts';
import { computeDigests, currentPeriod, hasContent, renderDigest } from './digest.service.ts';
import { publicUrl } from '../../lib/public-url.ts';


export const digestRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/me/digest/preview',
    {
      schema: {
        operationId: 'previewMyDigest',
        tags: ['stats'],
        summary: 'What my next observer digest would say (observers)',
        response: { 200: digestSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request) => {
      const me = personOf(request);
      const workspace = await app.db.prisma.workspace.findUniqueOrThrow({ where: { id: 1 } });
      const period = currentPeriod(workspace.digestFrequency === 'daily' ? 'daily' : 'weekly');
      const [digest] = await computeDigests(app.db.prisma, { since: period.since, inactiveDays: workspace.inactiveDays, observerId: me.id });
      if (!digest) throw forbidden('Digests are for observers: you observe no group.');
      const mail = renderDigest(digest, workspace.inactiveDays, publicUrl(app, request));
      return {
        period: period.key,
        willSend: workspace.digestFrequency !== 'never' && hasContent(digest),
        groups: digest.groups,
        subject: mail.subject,
        text: mail.text,
      };
    },
  );

  app.get(
    '/admin/workspace',
    { schema: { operationId: 'getWorkspace', tags: ['admin'], summary: 'Workspace settings', response: { 200: workspaceSchema, ...problems(...authProblems, 403) } } },
    async (request) => {
      authorize(principalOf(request), 'workspaceSettings');
      const w = await app.db.prisma.workspace.findUniqueOrThrow({ where: { id: 1 } });
      return { name: w.name, digestFrequency: w.digestFrequency, inactiveDays: w.inactiveDays, publicUrl: publicUrl(app, request) };
    },
  );
  app.patch(
    '/admin/workspace',
    {
      schema: {
        operationId: 'updateWorkspace',
        tags: ['admin'],
        summary: 'Change the workspace name, the observer digest frequency, or the inactivity threshold',
        body: patchWorkspaceBodySchema,
        response: { 200: workspaceSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request) => {
      authorize(principalOf(request), 'workspaceSettings');
      const w = await app.db.prisma.workspace.update({ where: { id: 1 }, data: request.body });
      return { name: w.name, digestFrequency: w.digestFrequency, inactiveDays: w.inactiveDays, publicUrl: publicUrl(app, request) };
    },
  );
};
