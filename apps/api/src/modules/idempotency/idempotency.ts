import { ONE_LINE } from '@covey/schema';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { sha256 } from '../../lib/tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyRecordId?: string;
  }
}

const TTL_MS = 24 * 3_600_000;
const REPLAYED_HEADERS = ['location', 'content-type'];

/**
 * `Idempotency-Key` on POST: the first response to a key is stored (per caller) and replayed for the same key and
 * body; the same key with another body is a 422; a key whose first request is still running is a 409 (with
 * Retry-After). Failures (5xx) are not stored, so the client may retry them. Records expire after 24 hours.
 *
 * A request holds its key for a lease (IDEMPOTENCY_LEASE_SECONDS, `expires_at` while no answer is stored), not for
 * the 24 hours: when the node running it dies, its key is freed once the lease ends, and the next retry runs the
 * request afresh (an expired record, answered or not, is taken over in the same INSERT, under a new id, so a request
 * that was only slow cannot overwrite or delete its successor's record). What the dead request had
 * committed before dying is not known to the key: a retry after the lease may repeat it, which is why the lease is
 * long and every natural key (e-mail, external id, membership) still refuses a second copy.
 */
export function idempotency(api: Deps<'db' | 'env' | 'addHook'>) {
  const prisma = api.db.prisma;
  const leaseMs = api.env.IDEMPOTENCY_LEASE_SECONDS * 1_000;

  const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || !request.principal) return;
    if (typeof key !== 'string' || key.length < 1 || key.length > 255 || !ONE_LINE.test(key))
      throw new AppError('bad_request', 'Idempotency-Key must be 1 to 255 characters, without control characters.');
    const principal = `${request.principal.type}:${request.principal.id}`;
    const path = request.url;
    const requestHash = sha256(`${request.method} ${path}\n${request.isMultipart() ? '' : JSON.stringify(request.body ?? null)}`);
    const inserted = await prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO idempotency_records (principal, key, method, path, request_hash, expires_at)
      VALUES (${principal}, ${key}, ${request.method}, ${path}, ${requestHash}, ${new Date(Date.now() + leaseMs)})
      ON CONFLICT (principal, key) DO UPDATE SET
        id = gen_random_uuid(), method = EXCLUDED.method, path = EXCLUDED.path, request_hash = EXCLUDED.request_hash, expires_at = EXCLUDED.expires_at,
        status_code = NULL, response_body = NULL, headers = '{}', created_at = now()
        WHERE idempotency_records.expires_at < now()
      RETURNING id::text`;
    if (inserted[0]) {
      request.idempotencyRecordId = inserted[0].id;
      return;
    }
    const record = await prisma.idempotencyRecord.findUnique({ where: { principal_key: { principal, key } } });
    if (!record) throw new AppError('conflict', 'This Idempotency-Key is being processed; retry shortly.');
    if (record.requestHash !== requestHash)
      throw new AppError('unprocessable', 'This Idempotency-Key was used with another request; use a new key.', [
        { field: 'header.idempotency-key', message: 'already used for a different request' },
      ]);
    if (record.statusCode === null) {
      reply.header('retry-after', String(Math.max(1, Math.ceil((record.expiresAt.getTime() - Date.now()) / 1_000))));
      throw new AppError('conflict', 'The first request with this Idempotency-Key is still running.');
    }
    const headers = record.headers as Record<string, string>;
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    return reply
      .code(record.statusCode)
      .header('idempotent-replayed', 'true')
      .serializer((x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x)))
      .send(typeof record.responseBody === 'string' ? record.responseBody : JSON.stringify(record.responseBody));
  };

  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const id = request.idempotencyRecordId;
    if (!id) return payload;
    request.idempotencyRecordId = undefined;
    if (reply.statusCode >= 500 || reply.statusCode === 429 || typeof payload !== 'string') {
      await prisma.idempotencyRecord.deleteMany({ where: { id, statusCode: null } });
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    await prisma.idempotencyRecord.updateMany({ where: { id, statusCode: null }, data: { statusCode: reply.statusCode, responseBody: payload, headers, expiresAt: new Date(Date.now() + TTL_MS) } });
    return payload;
  };

  // A request that failed before onSend (connection closed) must not hold its key forever.
  const onResponse = async (request: FastifyRequest) => {
    const id = request.idempotencyRecordId;
    if (id) await prisma.idempotencyRecord.deleteMany({ where: { id, statusCode: null } });
  };

  // Only POST routes take a key: the hooks are theirs, and a read does not run three hooks that have nothing to do.
  api.addHook('onRoute', (route) => {
    if (![route.method].flat().includes('POST')) return;
    add(route, 'preHandler', preHandler);
    add(route, 'onSend', onSend);
    add(route, 'onResponse', onResponse);
  });
}

/** Appends a hook to a route's own (after those it already has). */
function add(route: RouteOptions, name: 'preHandler' | 'onSend' | 'onResponse', hook: unknown) {
  const own = route[name] as unknown;
  (route as unknown as Record<string, unknown>)[name] = [...(own === undefined ? [] : Array.isArray(own) ? (own as unknown[]) : [own]), hook];
}
