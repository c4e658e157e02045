import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { documentSchema, documentTypes, documentUploadFormSchema, documentUploadTypes, MAX_ROWS, page, userRefSchema } from '@covey/schema';
import { audit } from '../../lib/audit.ts';
import { contentDisposition } from '../../lib/disposition.ts';
import { notFound } from '../../lib/errors.ts';
import { authProblems, fileResponse, multipartBody, problems } from '../../lib/openapi.ts';
import { streamUpload } from '../../lib/upload-stream.ts';
import { isUuid, requireUserId } from '../../lib/refs.ts';
import { personOf, principalOf } from '../../plugins/auth.ts';
import { authorize, canReadDocumentOf } from '../../policy/index.ts';

/** A shared document is a PDF, PNG or JPEG file, recognised by its first bytes. */
const sniffDocument = (head: Buffer) =>
  head.subarray(0, 5).toString('latin1') === '%PDF-'
    ? 'application/pdf'
    : head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
      ? 'image/png'
      : head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff
        ? 'image/jpeg'
        : null;

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
  const prisma = app.db.prisma;
  const tags = ['documents'];

  app.get(
    '/me/documents',
    {
      schema: { operationId: 'listMyDocuments', tags, summary: 'My certificates and the files shared with me', response: { 200: page(documentSchema, MAX_ROWS), ...problems(...authProblems, 403) } },
    },
    async (request) => {
      const me = personOf(request);
      const docs = await prisma.document.findMany({ where: { userId: me.id }, include: { file: true }, orderBy: { createdAt: 'desc' } });
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
        params: z.object({ documentId: z.string().min(1).max(64) }),
        response: { 200: fileResponse('The file (a certificate is a PDF)', documentTypes), ...problems(...authProblems, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const doc = isUuid(request.params.documentId)
        ? await prisma.document.findUnique({ where: { id: request.params.documentId }, include: { file: true } })
        : null;
      if (!doc || !(await canReadDocumentOf(prisma, principal, doc.userId))) throw notFound('file_not_found', 'The document');
      const stream = await app.storage.get(doc.file.storageKey);
      if (!stream) throw notFound('file_not_found', 'The document');
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
        ...multipartBody(documentUploadFormSchema, { file: documentUploadTypes }),
        params: z.object({ user: userRefSchema }),
        response: { 201: documentSchema, ...problems(...authProblems, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      authorize(principal, 'shareDocuments');
      const userId = await requireUserId(prisma, request.params.user);
      const key = `documents/${userId}/${randomUUID()}`;
      const upload = await streamUpload(request, app.storage, key, app.env.UPLOAD_MAX_BYTES, sniffDocument, 'Share a PDF, PNG or JPEG file.');
      const filename = upload.filename;
      const title = (upload.fields.title ?? '').trim().slice(0, 300);
      const doc = await prisma.$transaction(async (tx) => {
        const file = await tx.storedFile.create({
          data: {
            storageKey: key,
            contentType: upload.contentType,
            size: upload.size,
            sha256: upload.sha256,
            name: filename.replace(/[^\p{L}\p{N} ._-]/gu, '_').slice(0, 200),
            purpose: 'document',
            uploadedBy: principal.type === 'user' ? principal.id : null,
          },
        });
        const created = await tx.document.create({ data: { userId, kind: 'file', title: title || filename, fileId: file.id }, include: { file: true } });
        await audit(tx, principal, 'document.share', { type: 'user', id: userId }, { documentId: created.id });
        return created;
      });
      return reply.code(201).header('location', `/api/v1/documents/${doc.id}`).send(toDocument(doc));
    },
  );
};
