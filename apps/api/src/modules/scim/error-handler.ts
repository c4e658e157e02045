import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Prisma } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/errors.ts';
import { SCIM_TYPE } from './resource.ts';
import { ScimError } from './scim-error.ts';
import { URN } from './schemas.ts';

export function sendError(reply: FastifyReply, status: number, detail: string, scimType?: string) {
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="scim"');
  return reply
    .code(status)
    .type(SCIM_TYPE)
    .serializer(JSON.stringify)
    .send({ schemas: [URN.error], status: String(status), ...(scimType ? { scimType } : {}), detail });
}

/** Every error inside /scim/v2 leaves as a SCIM Error message (RFC 7644 section 3.12), never problem+json. */
export function scimErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ScimError) return sendError(reply, error.status, error.message, error.scimType);
  if (error instanceof AppError) return sendError(reply, error.status, error.message);
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2002') return sendError(reply, 409, 'This would create a duplicate.', 'uniqueness');
    if (error.code === 'P2025') return sendError(reply, 404, 'The resource was not found.');
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415)
    return sendError(reply, 415, 'Send application/scim+json (or application/json).');
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413)
    return sendError(reply, 413, 'The request body is too large.');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    return sendError(reply, error.statusCode, error.message, error.statusCode === 400 ? 'invalidSyntax' : undefined);
  request.log.error({ err: error }, 'scim: unhandled error');
  const down = /ECONNREFUSED|Can't reach database|P1001|P1017|Connection terminated/.test(
    `${error.code ?? ''} ${error.message}`,
  );
  if (down) reply.header('retry-after', '5');
  return sendError(
    reply,
    down ? 503 : 500,
    down ? 'The database is unavailable; retry shortly.' : 'Something went wrong on our side; it has been logged.',
  );
}
