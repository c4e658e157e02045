import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { brandingImageTypes, pathId } from '@covey/schema';
import { fileResponse, problems } from '../../lib/openapi.ts';
import { filesService } from './files.service.ts';

export const filesRoutes: FastifyPluginAsyncZod = async (app) => {
  const files = filesService(app);
  app.get(
    '/files/:fileId',
    {
      config: { public: true },
      schema: {
        operationId: 'getFile',
        tags: ['files'],
        summary: 'Download a branding image (group logo or background)',
        description:
          'Serves a branding image (a group logo or background) by its random id. Public by design: they show on the sign-in page and in mails.',
        security: [],
        params: z.object({ fileId: pathId() }),
        response: { 200: fileResponse('The image', brandingImageTypes), 304: z.null().describe('Not modified'), ...problems(404) },
      },
    },
    async (request, reply) => {
      const file = await files.publicFile(request.params.fileId);
      const etag = `"${file.sha256}"`;
      reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
      const stream = await files.open(file);
      return reply.type(file.contentType).header('content-length', file.size).send(stream as never);
    },
  );
};
