import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

/** Opaque cursors: base64url JSON of the sort key of the last item of a page. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * What each part of a cursor must be before it reaches a query: an ISO timestamp PostgreSQL can hold, a UUID,
 * a finite number, an int32, or text (bounded, no NUL). A cursor crafted by hand (`[1,2]`, a date where a number goes,
 * a cursor of another sort order) is refused with 400 invalid_cursor, never passed on to the database.
 */
export type CursorPart = 'time' | 'uuid' | 'number' | 'int' | 'text';
type PartValue<K extends CursorPart> = K extends 'number' | 'int' ? number : string;
export type CursorValue<K extends readonly CursorPart[]> = { -readonly [I in keyof K]: PartValue<K[I]> };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Longer than any sort key Covey writes into a cursor (names and e-mails are bounded well below). */
export const CURSOR_TEXT_MAX = 1_000;

function validPart(kind: CursorPart, value: unknown): boolean {
  switch (kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'int':
      return Number.isInteger(value) && Math.abs(value as number) <= 2_147_483_647;
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'time': {
      if (typeof value !== 'string' || !ISO_TIME.test(value)) return false;
      const at = Date.parse(value);
      // PostgreSQL's timestamptz range is wider; Covey never writes a time outside these years.
      return Number.isFinite(at) && at >= Date.UTC(1900, 0, 1) && at < Date.UTC(10000, 0, 1);
    }
    case 'text':
      return typeof value === 'string' && value.length <= CURSOR_TEXT_MAX && !value.includes('\u0000');
  }
}

const invalidCursor = () => new AppError('invalid_cursor', 'The cursor is not valid; start again from the first page.');

export function decodeCursor<const K extends readonly CursorPart[]>(cursor: string | undefined, kinds: K): CursorValue<K> | undefined {
  if (!cursor) return undefined;
  if (cursor.length > 8 * CURSOR_TEXT_MAX || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(value) || value.length !== kinds.length || !kinds.every((kind, i) => validPart(kind, value[i]))) throw invalidCursor();
  return value as CursorValue<K>;
}

/** Takes limit+1 rows, returns the page and the next cursor. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => (string | number)[]) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(key(last)) : null;
  return { items, nextCursor };
}

/**
 * A path the WHATWG URL parser leaves as it is: no percent-escapes, dot segments, fragment or leading `//`, and
 * only characters it does not escape. Such a path needs no parse (a URL parse cost ~2% of a feed page's CPU).
 */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
const DOT_SEGMENT = /(^|\/)\.{1,2}(\/|$)/;

/** Adds the RFC 8288 `Link: <...>; rel="next"` header for a page. */
export function linkNext(request: FastifyRequest, reply: FastifyReply, nextCursor: string | null) {
  if (!nextCursor) return;
  const at = request.url.indexOf('?');
  const path = at < 0 ? request.url : request.url.slice(0, at);
  if (PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path) && !request.url.includes('#')) {
    const params = new URLSearchParams(at < 0 ? '' : request.url.slice(at + 1));
    params.set('cursor', nextCursor);
    return void reply.header('link', `<${path}?${params.toString()}>; rel="next"`);
  }
  const url = new URL(request.url, 'http://covey.local');
  url.searchParams.set('cursor', nextCursor);
  reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
}

/** The Prisma filter for "after this cursor" in lists ordered by (createdAt desc, id desc). */
export function createdBefore(cursor: string | undefined) {
  const after = decodeCursor(cursor, ['time', 'uuid']);
  if (!after) return {};
  const at = new Date(after[0]);
  return { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: after[1] } }] };
}

/** A page as a list route answers it: with its `Link: rel="next"` header (see linkNext) when there is a next page. */
export function pageWithLink<P extends { nextCursor: string | null }>(request: FastifyRequest, reply: FastifyReply, page: P): P {
  linkNext(request, reply, page.nextCursor);
  return page;
}
