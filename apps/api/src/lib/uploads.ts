import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

export type Upload = { data: Buffer; filename: string; fields: Record<string, string> };

/**
 * Reads one multipart upload (field `file`, plus text fields), size-limited. Whatever the client sent, the answer is
 * a client error: not multipart (415), malformed multipart (400), too large (413), no file (400).
 */
export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data in a field named file.');
  const fields: Record<string, string> = {};
  let upload: { data: Buffer; filename: string } | null = null;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10 } })) {
      if (part.type === 'file') upload = { data: await part.toBuffer(), filename: part.filename };
      else fields[part.fieldname] = String(part.value);
    }
  } catch (error) {
    throw uploadProblem(error, maxBytes);
  }
  if (!upload) throw noFileSent();
  return { ...upload, fields };
}

/** What a failed multipart read tells the client: too large (413), or malformed (400); an AppError stays itself. */
export function uploadProblem(error: unknown, maxBytes: number): AppError {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new AppError('payload_too_large', `The file is larger than ${maxBytes} bytes.`);
  if (error instanceof AppError) return error;
  return new AppError('bad_request', 'The multipart body is malformed.');
}

export const noFileSent = () => new AppError('bad_request', 'No file was sent; use a multipart field named file.');
