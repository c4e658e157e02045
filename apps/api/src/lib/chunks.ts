/**
 * The rows in consecutive slices of `size`, for statements sent one after the other. Past 65,535 bind parameters
 * Prisma splits a createMany itself and sends the parts at once on one connection, which node-postgres deprecates
 * (pg 9 will refuse it): large inserts go in parts of our own.
 */
export function* chunks<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
