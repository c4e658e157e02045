import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { brandingImageTypes } from '@covey/schema';
import { notFound } from '../../lib/errors.ts';
import { fileResponse, problems } from '../../lib/openapi.ts';
import { isUuid } from '../../lib/refs.ts';

/** Public, immutable branding images: a new upload gets a new id, so caches can keep a file forever. */
const PUBLIC_PURPOSES = new Set(['group-logo', 'group-background']);

export const filesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/files/:fileId',
    {
      config: { public: true },
      schema: {
        operationId: 'getFile',
        tags: ['files'],
        summary: 'Download a branding image (group logo or background)',
        security: [],
        params: z.object({ fileId: z.string().min(1).max(64) }),
        response: { 200: fileResponse('The image', brandingImageTypes), 304: z.null().describe('Not modified'), ...problems(404) },
      },
    },
    async (request, reply) => {
      const { fileId } = request.params;
      const file = isUuid(fileId) ? await app.db.prisma.storedFile.findUnique({ where: { id: fileId } }) : null;
      if (!file || !PUBLIC_PURPOSES.has(file.purpose)) throw notFound('file_not_found', 'The file');
      const etag = `"${file.sha256}"`;
      reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
      const stream = await app.storage.get(file.storageKey);
      if (!stream) throw notFound('file_not_found', 'The file');
      return reply.type(file.contentType).header('content-length', file.size).send(stream as never);
    },
  );
};
