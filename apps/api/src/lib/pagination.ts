import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

/** Opaque cursors: base64url JSON of the sort key of the last item of a page. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === arity && value.every((v) => typeof v === 'string' || typeof v === 'number'))
      return value;
  } catch {
    // fall through
  }
  throw new AppError('invalid_cursor', 'The cursor is not valid; start again from the first page.');
}

/** Takes limit+1 rows, returns the page and the next cursor. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => (string | number)[]) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(key(last)) : null;
  return { items, nextCursor };
}

/** Adds the RFC 8288 `Link: <...>; rel="next"` header for a page. */
export function linkNext(request: FastifyRequest, reply: FastifyReply, nextCursor: string | null) {
  if (!nextCursor) return;
  const url = new URL(request.url, 'http://covey.local');
  url.searchParams.set('cursor', nextCursor);
  reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
}

/** The Prisma filter for "after this cursor" in lists ordered by (createdAt desc, id desc). */
export function createdBefore(cursor: string | undefined) {
  const after = decodeCursor(cursor, 2);
  if (!after) return {};
  const at = new Date(String(after[0]));
  return { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: String(after[1]) } }] };
}
