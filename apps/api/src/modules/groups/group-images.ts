import { randomUUID } from 'node:crypto';
import { emit } from '../../db/outbox.ts';
import { audit } from '../../lib/audit.ts';
import type { Deps } from '../../lib/deps.ts';
import type { Principal } from '../../lib/principal.ts';
import { sha256 } from '../../lib/tokens.ts';
import { requireGroup } from '../../policy/index.ts';
import { processImage, type ImageKind } from '../files/images.ts';

/** A group's logo and background: setting one (stored as WebP) and clearing it. */
export function groupImages<View>(
  deps: Deps<'db' | 'storage'>,
  view: (principal: Principal, id: string) => Promise<View>,
) {
  const prisma = deps.db.prisma;
  const manageable = (principal: Principal, ref: string) => requireGroup(prisma, principal, ref, 'manage');

  return {
    async setImage(principal: Principal, ref: string, kind: ImageKind, data: Buffer) {
      const { id } = await manageable(principal, ref);
      const image = await processImage(data, kind);
      const key = `groups/${id}/${kind}-${randomUUID()}.webp`;
      await deps.storage.put(key, image.data);
      await prisma.$transaction(async (tx) => {
        const file = await tx.storedFile.create({
          data: {
            storageKey: key,
            contentType: image.contentType,
            size: image.data.length,
            width: image.width,
            height: image.height,
            sha256: sha256(image.data),
            purpose: `group-${kind}`,
            uploadedBy: principal.type === 'user' ? principal.id : null,
          },
        });
        await tx.group.update({
          where: { id },
          data:
            kind === 'logo'
              ? { logoFileId: file.id, version: { increment: 1 } }
              : { backgroundFileId: file.id, version: { increment: 1 } },
        });
        await emit(tx, 'group.updated', { groupId: id, fields: [kind] });
        await audit(tx, principal, `group.${kind}.set`, { type: 'group', id });
      });
      return view(principal, id);
    },

    async clearImage(principal: Principal, ref: string, kind: ImageKind) {
      const { id } = await manageable(principal, ref);
      await prisma.$transaction(async (tx) => {
        await tx.group.update({
          where: { id },
          data:
            kind === 'logo'
              ? { logoFileId: null, version: { increment: 1 } }
              : { backgroundFileId: null, version: { increment: 1 } },
        });
        await emit(tx, 'group.updated', { groupId: id, fields: [kind] });
        await audit(tx, principal, `group.${kind}.clear`, { type: 'group', id });
      });
    },
  };
}
