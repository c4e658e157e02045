import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.ts';
import { membersPageSql } from '../src/modules/groups/groups.repository.ts';
import { openDatabase } from '../src/db/database.ts';
import { learnersOfSubtree, scopeEnrollments } from '../src/modules/enrollments/enrollment-engine.ts';
import { groupPageSql, groupPageStatement, postsPageSql, selectGroupPage } from '../src/modules/posts/posts.repository.ts';
import { activeLearners, hashingAggregates, programFigures, subtreeEnrollments } from '../src/modules/stats/stats.sql.ts';
import { claimOutboxSql } from '../src/modules/webhooks/delivery.ts';
import { createTestContext, type TestContext } from './helpers.ts';

/**
 * The hot queries of a single group's pages must use indexes, not scan whole tables: checked on the plans the
 * database actually chooses (EXPLAIN) for a workspace with many groups, posts and memberships.
 */
let t: TestContext;
let group: string;
let viewer: string;

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Strategy?: string; Plans?: PlanNode[] };
const scans = (node: PlanNode): { type: string; relation?: string; strategy?: string }[] => [
  { type: node['Node Type'], relation: node['Relation Name'], strategy: node.Strategy },
  ...(node.Plans ?? []).flatMap(scans),
];

type ExplainRow = { 'QUERY PLAN': [{ Plan: PlanNode }] | string };
/** The nodes of an `EXPLAIN (FORMAT JSON)` answer (PGlite answers it as text). */
const nodesOf = ([row]: ExplainRow[]) => {
  const raw = row!['QUERY PLAN'];
  return scans((typeof raw === 'string' ? (JSON.parse(raw) as [{ Plan: PlanNode }]) : raw)[0].Plan);
};

async function plan(sql: Prisma.Sql) {
  return nodesOf(await t.db.query<ExplainRow>(`EXPLAIN (FORMAT JSON) ${sql.text}`, sql.values));
}

beforeAll(async () => {
  t = await createTestContext();
  const q = (sql: string, params: unknown[] = []) => t.db.query(sql, params);
  await q(`INSERT INTO groups (name, updated_at) SELECT 'G' || i, now() FROM generate_series(1, 400) i`);
  await q(`INSERT INTO users (email, first_name, last_name, updated_at) SELECT 'p' || i || '@plans.test', 'F', 'L' || i, now() FROM generate_series(1, 8000) i`);
  await q(`INSERT INTO memberships (user_id, group_id, role)
    SELECT u.id, g.id, 'learner' FROM (SELECT id, row_number() OVER () rn FROM users) u JOIN (SELECT id, row_number() OVER () rn FROM groups) g ON g.rn = 1 + u.rn % 400`);
  await q(`INSERT INTO posts (author_id, scope, group_id, body, body_html, created_at)
    SELECT m.user_id, 'group', m.group_id, 'x', '<p>x</p>', now() - i * interval '1 second'
    FROM generate_series(1, 40000) i JOIN (SELECT user_id, group_id, row_number() OVER () - 1 rn FROM memberships) m ON m.rn = i % 8000`);
  await q('ANALYZE');
  group = (await q(`SELECT id FROM groups LIMIT 1`))[0]!.id as string;
  viewer = (await q(`SELECT user_id FROM memberships WHERE group_id = $1 LIMIT 1`, [group]))[0]!.user_id as string;
}, 120_000);
afterAll(async () => t?.close());

describe('query plans of a single group’s pages', () => {
  it('reads a group feed page through the posts index, without scanning posts', async () => {
    const nodes = await plan(postsPageSql({ viewerId: viewer, where: Prisma.sql`p.group_id = ${group}::uuid AND p.parent_id IS NULL`, limit: 21 }));
    expect(nodes.filter((n) => n.relation === 'posts').map((n) => n.type)).not.toContain('Seq Scan');
    expect(nodes.some((n) => n.relation === 'posts' && n.type.startsWith('Index'))).toBe(true);
  });

  it('reads the access facts and the page of a group space in one statement, through indexes only', async () => {
    const page = postsPageSql({ viewerId: viewer, where: Prisma.sql`p.group_id = ${group}::uuid AND p.parent_id IS NULL`, limit: 21 });
    const nodes = await plan(groupPageSql(viewer, group, page));
    for (const table of ['posts', 'memberships', 'groups'])
      expect(nodes.filter((n) => n.relation === table).map((n) => n.type)).not.toContain('Seq Scan');
    expect(nodes.some((n) => n.relation === 'posts' && n.type.startsWith('Index'))).toBe(true);
  });

  it('builds a group page’s statement once per shape, the same statement as built afresh', () => {
    for (const after of [undefined, ['2026-11-30T19:44:02.794Z', '95232e4d-7e59-491a-b801-a79c32974eff'] as [string, string]]) {
      for (const [viewerId, groupId] of [[viewer, group], [group, viewer]] as const) {
        const where = Prisma.sql`p.group_id = ${groupId}::uuid AND p.parent_id IS NULL`;
        const fresh = groupPageSql(viewerId, groupId, postsPageSql({ viewerId, where, after, limit: 21 }));
        const kept = groupPageStatement({ viewerId, groupId, after, limit: 21 });
        expect(kept).toEqual({ text: fresh.text, values: fresh.values });
      }
    }
  });

  // PGlite runs plain parameterized queries (no named statements): the plan cache only matters on the server.
  it.skipIf(!process.env.DATABASE_URL)('plans a group space’s prepared page statement once per connection, then reuses it', async () => {
    const db = await openDatabase({ url: t.db.url!, poolSize: 1 });
    try {
      for (let i = 0; i < 8; i++) await selectGroupPage(db, { viewerId: viewer, groupId: group, limit: 21 });
      const [stmt] = await db.query<{ name: string; generic_plans: number; custom_plans: number }>(
        `SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements WHERE name LIKE 'covey_%'`,
      );
      // PostgreSQL plans the first five executions for their values, then keeps a generic plan when it costs no more.
      expect(stmt).toMatchObject({ custom_plans: 5, generic_plans: 3 });
      // The reused plan reads through the indexes too.
      await db.exec(`SET plan_cache_mode = force_generic_plan`);
      const rows = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (FORMAT JSON) EXECUTE "${stmt!.name}"('${viewer}', '${group}', '${viewer}', '${group}')`,
      );
      const nodes = scans(rows[0]!['QUERY PLAN'][0].Plan);
      for (const table of ['posts', 'memberships', 'groups'])
        expect(nodes.filter((n) => n.relation === table).map((n) => n.type)).not.toContain('Seq Scan');
    } finally {
      await db.close();
    }
  });

  it('gathers a group subtree’s learners (the scope of an assignment) through the indexes, without scanning memberships', async () => {
    const nodes = await plan(learnersOfSubtree(group));
    for (const table of ['memberships', 'groups']) expect(nodes.filter((n) => n.relation === table).map((n) => n.type)).not.toContain('Seq Scan');
  });

  it('reads a scope’s enrollments of a program created since the last ANALYZE by user, not all of the program’s for each user', async () => {
    const program = async (title: string) =>
      (await t.db.query<{ id: string }>(`INSERT INTO programs (title, status, updated_at) VALUES ($1, 'published', now()) RETURNING id::text`, [title]))[0]!;
    const enroll = (programId: string) =>
      t.db.query(`INSERT INTO enrollments (user_id, program_id, updated_at) SELECT id, $1, now() FROM users LIMIT 4000`, [programId]);
    for (let i = 0; i < 5; i++) await enroll((await program(`Older ${i}`)).id);
    await t.db.query('ANALYZE enrollments');
    const fresh = await program('Fresh');
    await enroll(fresh.id);
    const users = (await t.db.query<{ user_id: string }>(`SELECT user_id::text FROM enrollments WHERE program_id = $1`, [fresh.id])).map((r) => r.user_id);
    // No ANALYZE since: the statistics know nothing of this program, and both enrollments indexes look like one row.
    const scope = { rows: Prisma.sql`SELECT unnest(${users}::uuid[])`, programId: fresh.id };
    const read = scopeEnrollments(scope);
    const raw = await t.db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] | string }>(`EXPLAIN (FORMAT JSON) SELECT e.id FROM ${read.text} e`, read.values);
    const json = raw[0]!['QUERY PLAN'];
    const text = JSON.stringify(typeof json === 'string' ? JSON.parse(json) : json);
    expect(text).not.toContain('enrollments_program_id_status_user_id_progress_completed_at_idx');
    expect(text).toContain('enrollments_user_id_program_id_key');
  });

  it('claims the oldest undispatched outbox events without sorting the backlog', async () => {
    await t.db.query(`INSERT INTO outbox_events (type, payload) SELECT 'user.updated', '{}'::jsonb FROM generate_series(1, 20000)`);
    await t.db.query('ANALYZE outbox_events');
    const nodes = await plan(claimOutboxSql(500));
    expect(nodes.map((n) => n.type)).not.toContain('Sort');
    expect(nodes.filter((n) => n.relation === 'outbox_events').map((n) => n.type)).not.toContain('Seq Scan');
  });

  it('reads a subtree’s learners for its statistics by primary key, without scanning users', async () => {
    // A tenth of the workspace: where a semi join would read every user.
    const subtree = (await t.db.query<{ id: string }>(`SELECT id FROM groups ORDER BY name LIMIT 40`)).map((g) => g.id);
    const nodes = await plan(activeLearners({ subtree, programs: [], expected: [] }, Prisma.sql`u.id, u.last_login_at`));
    expect(nodes.filter((n) => n.relation === 'users').map((n) => n.type)).not.toContain('Seq Scan');
  });

  // PGlite has no JIT compiler: the setting only matters on the server.
  it.skipIf(!process.env.DATABASE_URL)('runs without JIT compilation on the PostgreSQL server (it would cost more than the fan-outs it compiles)', async () => {
    const [row] = await t.db.prisma.$queryRaw<{ jit: string }[]>`SHOW jit`;
    expect(row!.jit).toBe('off');
  });

  // PGlite is one process: it has no parallel workers.
  it.skipIf(!process.env.DATABASE_URL)('runs without parallel workers on the server unless DB_PARALLEL_WORKERS allows some', async () => {
    const [row] = await t.db.prisma.$queryRaw<{ max_parallel_workers_per_gather: string }[]>`SHOW max_parallel_workers_per_gather`;
    expect(row!.max_parallel_workers_per_gather).toBe('0');
    const db = await openDatabase({ url: t.db.url!, poolSize: 1, parallelWorkers: 2 });
    try {
      const [allowed] = await db.query<{ max_parallel_workers_per_gather: string }>('SHOW max_parallel_workers_per_gather');
      expect(allowed!.max_parallel_workers_per_gather).toBe('2');
    } finally {
      await db.close();
    }
  });

  it('reads a subtree’s enrollments for its statistics from the enrollments index alone (index-only scan)', async () => {
    const programs = (
      await t.db.query<{ id: string }>(
        `INSERT INTO programs (title, status, updated_at) SELECT 'Stats ' || i, 'published', now() FROM generate_series(1, 4) i RETURNING id::text`,
      )
    ).map((p) => p.id);
    await t.db.query(
      `INSERT INTO enrollments (user_id, program_id, progress, updated_at) SELECT u.id, p, 10, now() FROM users u CROSS JOIN unnest($1::uuid[]) p`,
      [programs],
    );
    await t.db.exec('VACUUM ANALYZE enrollments');
    const subtree = (await t.db.query<{ id: string }>(`SELECT id FROM groups ORDER BY name LIMIT 40`)).map((g) => g.id);
    const scope = { subtree, programs: programs.slice(0, 2), expected: [null, 50] };
    const nodes = await plan(subtreeEnrollments(scope));
    expect(nodes.filter((n) => n.relation === 'enrollments').map((n) => n.type)).toEqual(['Index Only Scan']);
  });

  it('hashes a subtree’s enrollments for its statistics, though the planner expects a share of them', async () => {
    // Two programs whose every enrollment is a learner of the subtree (4 groups: 1% of the users): the planner prices
    // the subtree's learners as holding 1% of them.
    const programs = (
      await t.db.query<{ id: string }>(
        `INSERT INTO programs (title, status, updated_at) SELECT 'Hashed ' || i, 'published', now() FROM generate_series(1, 2) i RETURNING id::text`,
      )
    ).map((p) => p.id);
    const subtree = (await t.db.query<{ id: string }>(`SELECT id FROM groups ORDER BY name DESC LIMIT 4`)).map((g) => g.id);
    await t.db.query(
      `INSERT INTO enrollments (user_id, program_id, progress, updated_at)
       SELECT m.user_id, p, 10, now() FROM memberships m CROSS JOIN unnest($1::uuid[]) p WHERE m.group_id = ANY($2::uuid[])`,
      [programs, subtree],
    );
    await t.db.exec('VACUUM ANALYZE enrollments');
    const figures = programFigures({ subtree, programs, expected: [null, 50] }, '2026-01-05');
    const aggregates = (nodes: { type: string; strategy?: string }[]) =>
      nodes.filter((n) => n.type === 'Aggregate').map((n) => n.strategy);
    // As planned alone: sorted for a group aggregate (what the statistics did at a million learners).
    expect(aggregates(await plan(figures))).toEqual(['Sorted']);
    const hashed = nodesOf(await hashingAggregates<ExplainRow>(t.db.prisma, Prisma.sql`EXPLAIN (FORMAT JSON) ${figures}`));
    expect(aggregates(hashed)).toEqual(['Hashed']);
    // The same figures either way.
    const plain = await t.db.prisma.$queryRaw<{ enrolled: number }[]>(figures);
    expect(await hashingAggregates<{ enrolled: number }>(t.db.prisma, figures)).toEqual(plain);
    expect(plain.reduce((n, r) => n + r.enrolled, 0)).toBe(2 * 4 * 20);
  });

  it('reads a group’s members through the memberships index, without scanning memberships', async () => {
    const nodes = await plan(membersPageSql(group, undefined, undefined, 51));
    expect(nodes.filter((n) => n.relation === 'memberships').map((n) => n.type)).not.toContain('Seq Scan');
  });
});
