import type { Deps } from '../../lib/deps.ts';
import { notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/refs.ts';

/** Public, immutable branding images: a new upload gets a new id, so caches can keep a file forever. */
const PUBLIC_PURPOSES = new Set(['group-logo', 'group-background']);

/** Branding images anyone may download (group logos and backgrounds); other stored files are not found here. */
export function filesService(deps: Deps<'db' | 'storage'>) {
  return {
    async publicFile(fileId: string) {
      const file = isUuid(fileId) ? await deps.db.prisma.storedFile.findUnique({ where: { id: fileId } }) : null;
      if (!file || !PUBLIC_PURPOSES.has(file.purpose)) throw notFound('file_not_found', 'The file');
      return file;
    },

    /** The bytes of a stored file; a file whose bytes are gone is not found. */
    async open(file: { storageKey: string }) {
      const stream = await deps.storage.get(file.storageKey);
      if (!stream) throw notFound('file_not_found', 'The file');
      return stream;
    },
  };
}
