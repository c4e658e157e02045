import { binarySchema, csvType, MAX_STRING, problemSchema } from '@covey/schema';
import { z } from 'zod';

const described: Record<number, string> = {
  400: 'Malformed request (problem+json with `errors[]`)',
  401: 'Missing or invalid credentials',
  403: 'Authenticated but not allowed',
  404: 'Unknown, or not visible to the caller',
  409: 'Conflict with the current state',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'A business rule is violated',
  429: 'Rate limited (see `Retry-After`)',
  503: 'A dependency is down',
};

/** One schema object per status, shared by every route: the response serializer is compiled once per schema. */
const problemsByStatus = new Map<number, ReturnType<typeof problemSchema.describe>>();
const problemFor = (status: number) => {
  let schema = problemsByStatus.get(status);
  if (!schema) problemsByStatus.set(status, (schema = problemSchema.describe(described[status] ?? 'Error')));
  return schema;
};

/** Error responses of an operation, all application/problem+json. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, problemFor(s)]));
}

/** The errors every authenticated operation may answer. */
export const authProblems = [400, 401, 429, 503] as const;

/** A file answer: the bytes, in one of these media types (`getFile`, `downloadDocument`...). */
export function fileResponse(description: string, mediaTypes: readonly string[]) {
  return { description, content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: binarySchema() }])) };
}

/** An answer in several media types, e.g. a JSON page or the whole table as CSV. */
export function mediaResponse(description: string, content: Record<string, z.ZodType>) {
  return { description, content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])) };
}

/** A CSV body (RFC 4180, UTF-8, a header line first). */
export const csvSchema = () => z.string().max(MAX_STRING).meta({ contentMediaType: csvType }).describe('CSV (RFC 4180), UTF-8, a header line first');

export type MultipartBody = { form: z.ZodObject; files: Record<string, readonly string[]> };
declare module 'fastify' {
  interface FastifySchema {
    /**
     * The multipart/form-data body of an upload (read with readUpload, not validated by the route): its fields and
     * the media types of its files. plugins/openapi.ts writes it into the document as the request body.
     */
    'x-multipart'?: MultipartBody;
  }
}

/** The multipart body of an upload route: `consumes` and the form, for the OpenAPI document. */
export function multipartBody(form: z.ZodObject, files: Record<string, readonly string[]>) {
  return { consumes: ['multipart/form-data'], 'x-multipart': { form, files } } as const;
}
