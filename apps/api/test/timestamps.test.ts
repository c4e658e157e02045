import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.ts';
import { isoTimestamp } from '../src/db/timestamps.ts';
import { createTestContext, type TestContext } from './helpers.ts';

/** Prepared reads give `timestamptz` as ISO text, rearranged from PostgreSQL's text without a Date in between. */
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

describe('timestamps of prepared reads', () => {
  it('come as the ISO text a Date would give, whatever the fraction of a second', async () => {
    const times = [
      '2026-12-01T02:22:02.794Z', // three digits
      '2026-12-01T02:22:02.790Z', // PostgreSQL writes .79
      '2026-12-01T02:22:02.700Z', // .7
      '2026-12-01T02:22:02.000Z', // no fraction at all
      '1999-12-31T23:59:59.999Z',
      '2000-02-29T00:00:00.001Z',
      ...Array.from({ length: 200 }, (_, i) => new Date(Date.UTC(2020, 0, 1) + i * 7_919_339_123).toISOString()),
    ];
    const rows = await t.db.prepared<{ at: string }>(
      Prisma.sql`SELECT t::timestamptz(3) AS at FROM unnest(${times}::text[]) WITH ORDINALITY u(t, n) ORDER BY n`,
    );
    expect(rows.map((r) => r.at)).toEqual(times);
  });

  it('reads other zones and precisions through node-postgres’ parser', () => {
    expect(isoTimestamp('2026-12-01 03:22:02.79+01')).toBe('2026-12-01T02:22:02.790Z');
    expect(isoTimestamp('2026-12-01 07:52:02+05:30')).toBe('2026-12-01T02:22:02.000Z');
    expect(isoTimestamp('2026-12-01 02:22:02.123456+00')).toBe('2026-12-01T02:22:02.123Z');
    expect(isoTimestamp('2026-12-01 02:22:02.1+00')).toBe('2026-12-01T02:22:02.100Z');
  });
});
