import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.ts';
import { createTestContext, type TestContext } from './helpers.ts';

/** Long reads in batches through a server-side cursor (db.batches): the learners CSV of a large subtree. */
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => {
  await t?.close();
});

const numbers = (n: number) => Prisma.sql`SELECT i FROM generate_series(1, ${n}::int) i ORDER BY i`;

describe('db.batches', () => {
  it('is the server’s alone: the embedded database has one session, where an open transaction takes in the others', () => {
    expect(t.db.batches === null).toBe(t.db.kind === 'pglite');
  });

  it.skipIf(!process.env.DATABASE_URL)('reads every row once, in batches of the size asked, whatever the size', async () => {
    for (const [total, size] of [
      [2500, 1000],
      [2000, 1000],
      [3, 1000],
      [0, 10],
    ] as const) {
      const sizes: number[] = [];
      const seen: number[] = [];
      for await (const rows of t.db.batches!<{ i: number }>(numbers(total), size)) {
        sizes.push(rows.length);
        seen.push(...rows.map((r) => r.i));
      }
      expect(seen).toEqual(Array.from({ length: total }, (_, k) => k + 1));
      expect(sizes.every((s) => s === size) || sizes.at(-1)! < size).toBe(true);
    }
  });

  it.skipIf(!process.env.DATABASE_URL)('gives its connection back when the reader stops early, and when the statement fails', async () => {
    // More early stops than the pool has connections: a connection kept by a stopped read would hang this test.
    for (let k = 0; k < 25; k++) {
      for await (const rows of t.db.batches!<{ i: number }>(numbers(5000), 100)) {
        expect(rows).toHaveLength(100);
        break;
      }
    }
    const failing = t.db.batches!(Prisma.sql`SELECT 1 / (i - 3) FROM generate_series(1, 5) i`, 1);
    await expect(
      (async () => {
        for await (const _ of failing) void _;
      })(),
    ).rejects.toThrow(/division by zero/);
    const [row] = await t.db.query<{ ok: number }>('SELECT 1 AS ok');
    expect(row!.ok).toBe(1);
  }, 60_000);
});
