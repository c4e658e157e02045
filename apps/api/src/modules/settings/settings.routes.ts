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
    { schema: { operationId: 'getWorkspace', tags: ['admin'], summary: 'Workspace settings', response: { 200: workspaceSchema, ...problems(...authProblems, 403) } } },
    async (request) => ({ ...(await settings.get(principalOf(request))), publicUrl: publicUrl(app, request) }),
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
    async (request) => ({ ...(await settings.update(principalOf(request), request.body)), publicUrl: publicUrl(app, request) }),
  );
};
