import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { MAX_ERROR_TEXT } from '@covey/schema';
import { Prisma } from '../generated/prisma/client.ts';
import { AppError, type FieldError } from '../lib/errors.ts';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A field or message of `errors[]` at most MAX_ERROR_TEXT long: they may quote the request (an unknown key). */
const cut = (text: string) => (text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT - 1)}…` : text);

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
  extra: Record<string, unknown> = {},
) {
  return reply
    .code(status)
    .type('application/problem+json')
    .serializer(JSON.stringify)
    .send({
      type: `https://covey.dev/problems/${code.replace(/_/g, '-')}`,
      title: titles[status] ?? 'Error',
      status,
      detail,
      instance: request.url.split('?')[0],
      code,
      requestId: request.id,
      ...(errors?.length ? { errors: errors.map((e) => ({ field: cut(e.field), message: cut(e.message) })) } : {}),
      ...extra,
    });
}

function isTransientConflict(error: unknown): boolean {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: string } } }; code?: string }).meta?.driverAdapterError?.cause;
  const code = cause?.originalCode ?? (error as { code?: string }).code;
  return code === '40P01' || code === '40001';
}

/** PostgreSQL refuses NUL and invalid UTF-8 in text (22021, 22P05): that is the client's input, not our failure. */
function isInvalidText(error: unknown): boolean {
  const cause = (error as { cause?: { message?: string; code?: string; originalCode?: string } }).cause;
  const text = `${(error as { code?: string }).code ?? ''} ${(error as Error).message ?? ''} ${cause?.code ?? ''} ${cause?.originalCode ?? ''} ${cause?.message ?? ''}`;
  return /22021|22P05|invalid byte sequence|unsupported Unicode escape|\\u0000 cannot be converted/i.test(text);
}

function isDatabaseDown(error: unknown): boolean {
  const text = `${(error as { code?: string }).code ?? ''} ${(error as Error).message ?? ''}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P01|57P03|53300|Can't reach database|Connection terminated|timeout exceeded when trying to connect|DatabaseNotReachable|P1001|P1017/.test(
    text,
  );
}

/** One error handler: every error leaves as application/problem+json (RFC 9457); 5xx never leak internals. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) reply.headers(error.headers);
      return sendProblem(request, reply, error.status, error.code, error.message, error.errors);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const errors = error.validation.map((v) => {
        const pathText = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
        return { field: pathText ? `${where}.${pathText}` : where, message: v.message ?? 'is invalid' };
      });
      return sendProblem(request, reply, 400, 'validation_failed', 'The request is not valid; see errors.', errors);
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415)
      return sendProblem(request, reply, 415, 'unsupported_media_type', error.message);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.code === 'FST_REQ_FILE_TOO_LARGE' || error.statusCode === 413)
      return sendProblem(request, reply, 413, 'payload_too_large', 'The request body is too large.');
    if (error.statusCode === 429) {
      return sendProblem(request, reply, 429, 'rate_limited', 'Too many requests; retry later.');
    }
    if (isTransientConflict(error)) {
      // A deadlock or serialization failure rolled the transaction back: nothing was written; the client may retry.
      request.log.warn({ err: error }, 'transient database conflict');
      reply.header('retry-after', '1');
      return sendProblem(request, reply, 503, 'service_unavailable', 'The change collided with another one and was not applied; retry it.');
    }
    if (isInvalidText(error)) {
      return sendProblem(request, reply, 400, 'validation_failed', 'Text may not contain the NUL character (U+0000) or invalid UTF-8.');
    }
    if (error instanceof Prisma.PrismaClientKnownRequestError) {
      if (error.code === 'P2002') return sendProblem(request, reply, 409, 'conflict', 'This would create a duplicate.');
      if (error.code === 'P2025') return sendProblem(request, reply, 404, 'not_found', 'The resource was not found.');
    }
    if (isDatabaseDown(error)) {
      request.log.error({ err: error }, 'database unavailable');
      reply.header('retry-after', '5');
      return sendProblem(request, reply, 503, 'service_unavailable', 'The database is unavailable; retry shortly.');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors: malformed JSON, bad content-length, and the like.
      return sendProblem(request, reply, error.statusCode, 'bad_request', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, 500, 'internal_error', 'Something went wrong on our side; it has been logged.');
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 404, 'route_not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`),
  );
});
