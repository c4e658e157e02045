import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { patchWorkspaceBodySchema, workspaceSettingsSchema as workspaceSchema } from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { publicUrl } from '../../lib/public-url.ts';
import { principalOf } from '../../plugins/auth.ts';
import { settingsService } from './settings.service.ts';

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const settings = settingsService(app);
  app.get(
    '/admin/workspace',
    { schema: { operationId: 'getWorkspace', tags: ['admin'], summary: 'Workspace settings', description: 'The workspace settings: name, observer digest frequency, inactivity threshold. Workspace admins.', response: { 200: workspaceSchema, ...problems(...authProblems, 403) } } },
    async (request) => ({ ...(await settings.get(principalOf(request))), publicUrl: publicUrl(app, request) }),
  );
  app.patch(
    '/admin/workspace',
    {
      schema: {
        operationId: 'updateWorkspace',
        tags: ['admin'],
        summary: 'Change the workspace name, the observer digest frequency, or the inactivity threshold',
        description:
          'Changes the workspace name, the observer digest frequency or the inactivity threshold used by reminders. Workspace admins; recorded in the audit log.',
        body: patchWorkspaceBodySchema,
        response: { 200: workspaceSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request) => ({ ...(await settings.update(principalOf(request), request.body)), publicUrl: publicUrl(app, request) }),
  );
};
