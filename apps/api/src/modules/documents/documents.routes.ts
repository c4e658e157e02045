import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { documentSchema, documentTypes, documentUploadFormSchema, documentUploadTypes, MAX_ROWS, page, pathId, userRefSchema } from '@covey/schema';
import { contentDisposition } from '../../lib/disposition.ts';
import { authProblems, fileResponse, multipartBody, problems } from '../../lib/openapi.ts';
import { streamUpload } from '../../lib/upload-stream.ts';
import { personOf, principalOf } from '../../plugins/auth.ts';
import { documentsService, sniffDocument } from './documents.service.ts';

const toDocument = (d: { id: string; kind: string; title: string; programId: string | null; createdAt: Date; file: { contentType: string; size: number } }) => ({
  id: d.id,
  kind: d.kind as 'certificate' | 'file',
  title: d.title,
  programId: d.programId,
  contentType: d.file.contentType,
  size: d.file.size,
  url: `/api/v1/documents/${d.id}`,
  createdAt: d.createdAt.toISOString(),
});

export const documentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const documents = documentsService(app);
  const tags = ['documents'];

  app.get(
    '/me/documents',
    {
      schema: { operationId: 'listMyDocuments', tags, summary: 'My certificates and the files shared with me', description: 'My certificates and the files shared with me, newest first.', response: { 200: page(documentSchema, MAX_ROWS), ...problems(...authProblems, 403) } },
    },
    async (request) => {
      const docs = await documents.mine(personOf(request));
      return { items: docs.map(toDocument), nextCursor: null };
    },
  );

  app.get(
    '/documents/:documentId',
    {
      schema: {
        operationId: 'downloadDocument',
        tags,
        summary: 'Download a document: its owner, their observers (and group admins) and workspace admins',
        description:
          'Downloads a document: its owner, their observers and group admins, and workspace admins may; 404 for anyone else.',
        params: z.object({ documentId: pathId() }),
        response: { 200: fileResponse('The file (a certificate is a PDF)', documentTypes), ...problems(...authProblems, 404) },
      },
    },
    async (request, reply) => {
      const { doc, stream } = await documents.download(principalOf(request), request.params.documentId);
      return reply
        .type(doc.file.contentType)
        .header('content-disposition', contentDisposition('attachment', doc.file.name, 'document'))
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(stream as never);
    },
  );

  app.post(
    '/users/:user/documents',
    {
      schema: {
        operationId: 'shareDocument',
        tags,
        summary: 'Share a file (multipart fields `title` and `file`; PDF or image) with a user (admins)',
        description:
          'Shares a file (PDF or image) with a person, who finds it in their documents. Workspace admins; an unknown type answers 415, a too large file 413.',
        ...multipartBody(documentUploadFormSchema, { file: documentUploadTypes }),
        params: z.object({ user: userRefSchema }),
        response: { 201: documentSchema, ...problems(...authProblems, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const target = await documents.shareTarget(principal, request.params.user);
      const upload = await streamUpload(request, app.storage, target.key, app.env.UPLOAD_MAX_BYTES, sniffDocument, 'Share a PDF, PNG or JPEG file.');
      const doc = await documents.share(principal, target, upload);
      return reply.code(201).header('location', `/api/v1/documents/${doc.id}`).send(toDocument(doc));
    },
  );
};
