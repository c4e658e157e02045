import type { Deps } from '../../lib/deps.ts';
import { randomUUID } from 'node:crypto';
import { audit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import type { Principal, UserPrincipal } from '../../lib/principal.ts';
import { isUuid, requireUserId } from '../../lib/refs.ts';
import type { StoredUpload } from '../../lib/upload-stream.ts';
import { authorize, canReadDocumentOf } from '../../policy/index.ts';

/** A shared document is a PDF, PNG or JPEG file, recognised by its first bytes. */
export const sniffDocument = (head: Buffer) =>
  head.subarray(0, 5).toString('latin1') === '%PDF-'
    ? 'application/pdf'
    : head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
      ? 'image/png'
      : head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff
        ? 'image/jpeg'
        : null;

/** Where a shared file goes: its owner, and its storage key. */
export type ShareTarget = { userId: string; key: string };

/** Documents: certificates and files shared with a person, read by them, their observers and admins. */
export function documentsService(deps: Deps<'db' | 'storage'>) {
  const prisma = deps.db.prisma;

  return {
    async mine(me: UserPrincipal) {
      return prisma.document.findMany({ where: { userId: me.id }, include: { file: true }, orderBy: { createdAt: 'desc' } });
    },

    /** The document and its bytes; a document the caller may not read is not found. */
    async download(principal: Principal, documentId: string) {
      const doc = isUuid(documentId) ? await prisma.document.findUnique({ where: { id: documentId }, include: { file: true } }) : null;
      if (!doc || !(await canReadDocumentOf(prisma, principal, doc.userId))) throw notFound('file_not_found', 'The document');
      const stream = await deps.storage.get(doc.file.storageKey);
      if (!stream) throw notFound('file_not_found', 'The document');
      return { doc, stream };
    },

    /** Checked before the upload is read: the caller may share documents, and the person exists. */
    async shareTarget(principal: Principal, userRef: string): Promise<ShareTarget> {
      authorize(principal, 'shareDocuments');
      const userId = await requireUserId(prisma, userRef);
      return { userId, key: `documents/${userId}/${randomUUID()}` };
    },

    /** Records a file already streamed into storage under the target's key as a document of its owner. */
    async share(principal: Principal, target: ShareTarget, upload: StoredUpload) {
      const title = (upload.fields.title ?? '').trim().slice(0, 300);
      return prisma.$transaction(async (tx) => {
        const file = await tx.storedFile.create({
          data: {
            storageKey: target.key,
            contentType: upload.contentType,
            size: upload.size,
            sha256: upload.sha256,
            name: upload.filename.replace(/[^\p{L}\p{N} ._-]/gu, '_').slice(0, 200),
            purpose: 'document',
            uploadedBy: principal.type === 'user' ? principal.id : null,
          },
        });
        const created = await tx.document.create({
          data: { userId: target.userId, kind: 'file', title: title || upload.filename, fileId: file.id },
          include: { file: true },
        });
        await audit(tx, principal, 'document.share', { type: 'user', id: target.userId }, { documentId: created.id });
        return created;
      });
    },
  };
}
