import { createHash } from 'node:crypto';
import { pipeline, Transform } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';
import type { Storage } from './storage.ts';
import { noFileSent, uploadProblem } from './uploads.ts';

export type StoredUpload = { contentType: string; size: number; sha256: string; filename: string; fields: Record<string, string> };

/** Bytes enough to recognise a file's type by its signature. */
const HEAD_BYTES = 16;

/**
 * Streams one multipart upload (field `file`, plus text fields) straight into storage under `key`: the bytes are
 * hashed, counted and sniffed on their way, never held whole in memory. `sniff` names the content type from the
 * first bytes, or refuses (415) before anything is stored. Whatever fails (refused type, too large, malformed body),
 * nothing stays in storage.
 */
export async function streamUpload(
  request: FastifyRequest,
  storage: Storage,
  key: string,
  maxBytes: number,
  sniff: (head: Buffer) => string | null,
  refusal = 'This type of file is not accepted.',
): Promise<StoredUpload> {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data in a field named file.');
  const fields: Record<string, string> = {};
  let stored: Omit<StoredUpload, 'fields'> | null = null;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10 } })) {
      if (part.type !== 'file') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      const hash = createHash('sha256');
      let size = 0;
      let head = Buffer.alloc(0);
      let contentType: string | null = null;
      const check = (transform: Transform) => {
        contentType = sniff(head);
        if (!contentType) transform.destroy(new AppError('unsupported_media_type', refusal));
      };
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          size += chunk.length;
          if (!contentType && head.length < HEAD_BYTES) {
            head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
            if (head.length === HEAD_BYTES) check(this);
          }
          done(null, chunk);
        },
        flush(done) {
          if (!contentType) check(this);
          done();
        },
      });
      await storage.put(key, pipeline(part.file, meter, () => undefined));
      if (part.file.truncated) throw new AppError('payload_too_large', `The file is larger than ${maxBytes} bytes.`);
      if (size === 0 || !contentType) throw new AppError('unsupported_media_type', refusal);
      stored = { contentType, size, sha256: hash.digest('hex'), filename: part.filename };
    }
  } catch (error) {
    await storage.delete(key).catch(() => undefined);
    throw uploadProblem(error, maxBytes);
  }
  if (!stored) throw noFileSent();
  return { ...stored, fields };
}
