import { Prisma } from '../generated/prisma/client.ts';
import type { Db } from './sql.ts';

/**
 * The walks of the group tree, the only ones: each is a CTE to write after `WITH RECURSIVE` (the keyword stays with
 * the statement, which may hold several). Every step is a LATERAL … OFFSET 0 probe through an index (groups by id
 * going up, by parent going down): blind to a recursive walk's size, the planner otherwise priced a plain join as a
 * scan of all groups, and below it hashed every membership (30 ms for one 1,000-learner group).
 *
 * A walk starts from one group id, or from a query whose rows are group ids (a user's memberships, a program's
 * assignments). With `carry`, the query's rows are (value, group id) pairs and every row of the walk keeps its start's
 * value in a column of that name: one statement walks for many observers or users at once.
 */
export type TreeStart = string | Prisma.Sql;
export type WalkOptions = { name?: string; carry?: string };

const carried = (carry: string | undefined, from: string) => (carry ? Prisma.raw(`${from}.${carry}, `) : Prisma.empty);
const column = (carry: string | undefined) => (carry ? Prisma.raw(`${carry}, `) : Prisma.empty);

/**
 * `anc([carry,] id, parent_id, depth)`: the start groups and their ancestors up to the roots, depth 0 being a start
 * group. From several starts a group may come once per start and depth (UNION drops exact repeats only).
 */
export function ancestorsCte(start: TreeStart, { name = 'anc', carry }: WalkOptions = {}): Prisma.Sql {
  const self = Prisma.raw(name);
  const first =
    typeof start === 'string'
      ? Prisma.sql`SELECT id, parent_id, 0 FROM groups WHERE id = ${start}::uuid`
      : Prisma.sql`SELECT ${carried(carry, 's')}g.id, g.parent_id, 0 FROM (${start}) AS s(${column(carry)}id)
    CROSS JOIN LATERAL (SELECT id, parent_id FROM groups WHERE id = s.id OFFSET 0) g`;
  return Prisma.sql`
  ${self}(${column(carry)}id, parent_id, depth) AS (
    ${first}
    ${typeof start === 'string' ? Prisma.sql`UNION ALL` : Prisma.sql`UNION`}
    SELECT ${carried(carry, 'w')}g.id, g.parent_id, w.depth + 1 FROM ${self} w
    CROSS JOIN LATERAL (SELECT id, parent_id FROM groups WHERE id = w.parent_id OFFSET 0) g
  )`;
}

/**
 * `sub([carry,] id)`: the start groups and everything below them. One id is checked to exist (no row otherwise); a
 * query's ids are taken as they come (they are foreign keys). Several starts meet once (UNION) where they nest.
 */
export function subtreeCte(start: TreeStart, { name = 'sub', carry }: WalkOptions = {}): Prisma.Sql {
  const self = Prisma.raw(name);
  const first =
    typeof start === 'string'
      ? Prisma.sql`SELECT id FROM groups WHERE id = ${start}::uuid`
      : Prisma.sql`SELECT ${carried(carry, 's')}s.id FROM (${start}) AS s(${column(carry)}id)`;
  return Prisma.sql`
  ${self}(${column(carry)}id) AS (
    ${first}
    ${typeof start === 'string' ? Prisma.sql`UNION ALL` : Prisma.sql`UNION`}
    SELECT ${carried(carry, 'w')}g.id FROM ${self} w
    CROSS JOIN LATERAL (SELECT id FROM groups WHERE parent_id = w.id OFFSET 0) g
  )`;
}

/** The ids of a group and of every group below it (none when it does not exist). */
export async function subtreeIds(db: Db, groupId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`WITH RECURSIVE ${subtreeCte(groupId)} SELECT id::text FROM sub`;
  return rows.map((r) => r.id);
}
