import pg from 'pg';

const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (text: string) => Date;

/**
 * A `timestamptz` in PostgreSQL's text form ('2026-12-01 02:22:02.79+00') as the API writes times: ISO 8601 in UTC
 * with milliseconds ('2026-12-01T02:22:02.790Z'). In a UTC session (the server's default zone here, PGlite's always)
 * with millisecond columns that is a rearrangement of the text, without the Date that node-postgres would build and
 * the API then format again (a fifth of a feed page's own work); any other form (another zone, microseconds, a year
 * past 9999) goes through node-postgres' own parser.
 */
export function isoTimestamp(text: string): string {
  const n = text.length;
  // 'YYYY-MM-DD HH:MM:SS' (19), then '' or '.f' to '.fff', then '+00'.
  if (n >= 22 && n <= 26 && n !== 23 && text.charCodeAt(4) === 45 && text.charCodeAt(10) === 32 && text.endsWith('+00')) {
    const fraction = n === 22 ? '.000' : text.slice(19, n - 3).padEnd(4, '0');
    return `${text.slice(0, 10)}T${text.slice(11, 19)}${fraction}Z`;
  }
  return parseTimestamptz(text).toISOString();
}

/** node-postgres' parsers with `timestamptz` as isoTimestamp (a query's `types`). */
const TIMESTAMPTZ: number = pg.types.builtins.TIMESTAMPTZ;
export const isoTimestampTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
    oid === TIMESTAMPTZ ? isoTimestamp : (pg.types.getTypeParser(oid, format) as (value: string) => unknown),
};

/** A time as the API writes it: from a Date (Prisma's reads), or as isoTimestamp already wrote it (prepared reads). */
export const apiTime = (d: Date | string): string => (typeof d === 'string' ? d : d.toISOString());
