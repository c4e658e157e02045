import { z } from 'zod';
import { MAX_STRING, ONE_LINE } from './common.ts';

/**
 * Files on the wire: the media types each download answers and each upload takes, and the multipart forms of the
 * uploads (field `file`, plus text fields). The OpenAPI document is built from these.
 */
export const brandingImageTypes = ['image/webp'] as const;
export const attachmentTypes = ['image/webp', 'application/pdf'] as const;
export const documentTypes = ['application/pdf', 'image/png', 'image/jpeg'] as const;
/** What an image upload may be (it is re-encoded to WebP). */
export const imageUploadTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff'] as const;
/** What a post attachment upload may be: an image (re-encoded to WebP) or a PDF. */
export const attachmentUploadTypes = [...imageUploadTypes, 'application/pdf'] as const;
export const documentUploadTypes = ['application/pdf', 'image/png', 'image/jpeg'] as const;
/** The CSV exports (RFC 4180, UTF-8). */
export const csvType = 'text/csv' as const;

/**
 * File bytes in a multipart form or as a whole body (OpenAPI 3.1: a string with a media type). Uploads are bounded
 * by UPLOAD_MAX_BYTES (a setting): the schema's bound is the longest string there is.
 */
export const binarySchema = () => z.string().max(MAX_STRING).meta({ format: 'binary' });

const file = (types: readonly string[]) => binarySchema().describe(`The file (${types.join(', ')})`);

export const imageUploadFormSchema = z.object({ file: file(imageUploadTypes) }).strict();
export const attachmentUploadFormSchema = z.object({ file: file(attachmentUploadTypes) }).strict();
export const documentUploadFormSchema = z
  .object({
    title: z.string().trim().max(300).regex(ONE_LINE).optional().describe('Shown to the person; default: the file name'),
    file: file(documentUploadTypes),
  })
  .strict();
