import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { digestSchema } from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { publicUrl } from '../../lib/public-url.ts';
import { personOf } from '../../plugins/auth.ts';
import { previewDigest } from './digest.service.ts';

export const digestRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/me/digest/preview',
    {
      schema: {
        operationId: 'previewMyDigest',
        tags: ['stats'],
        summary: 'What my next observer digest would say (observers)',
        description:
          'What my next observer digest mail would say, without sending it. Observers; others get an empty digest.',
        response: { 200: digestSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request) => previewDigest(app.db, personOf(request).id, publicUrl(app, request)),
  );
};
