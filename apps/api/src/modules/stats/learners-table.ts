import { Readable } from 'node:stream';
import type { z } from 'zod';
import type { GroupSummary, learnerStatsQuerySchema } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Database } from '../../db/database.ts';
import { toUserSummary, type UserSummaryRow } from '../../db/user-summary.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import { activeLearners, hashingAggregates, inactiveSince, iso, round, subtreeEnrollments, subtreeLearnerIds, type Scope, type StatsDb } from './stats.sql.ts';

export type LearnerQuery = z.output<typeof learnerStatsQuerySchema>;

/** Lines of the CSV export per string the database sends (about 70 KB). */
const CSV_LINES_PER_CHUNK = 500;

type LearnerRow = UserSummaryRow & {
  last_login_at: Date | null;
  last_activity_at: Date | null;
  programs: number;
  avg_progress: number;
  completed: number;
  sort_key: string | number | Date;
};

/**
 * The learners table of a subtree's statistics: one page (keyset), or the whole table as CSV. `groupAccess` answers
 * the group's id and scope when the caller may read its statistics; `inactiveDays` the workspace's threshold unless
 * overridden.
 */
export function learnersTable(
  prisma: StatsDb,
  {
    groupAccess,
    inactiveDays,
    batches,
  }: {
    groupAccess: (p: Principal, ref: string) => Promise<{ groupId: string; scope: Scope }>;
    inactiveDays: (override?: number) => Promise<number>;
    /** The database's cursor read (database.ts), when it has one: the CSV's statement then runs once. */
    batches: Database['batches'];
  },
) {
  /**
   * The learners table, one page (`limit`) or whole (`limit` null: the CSV). Enrollments are aggregated per learner
   * first (one narrow GROUP BY over the relevant enrollments), then joined to the learners: never a GROUP BY over wide
   * user rows. A page sorted by progress (without the "inactive" segment) is ranked on the learner ids alone (from the
   * memberships index) and reads only its own rows of `users` by primary key; the other sorts rank the users' rows.
   * A page carries each learner's groups of the subtree (`groups`, json); the whole table their names (`group_names`).
   */
  function learnerSql(scope: Scope, q: LearnerQuery, days: number, after: (string | number)[] | undefined, limit: number | null, chunked = false) {
    const sortKey = {
      name: Prisma.sql`lower(u.last_name) || ' ' || lower(u.first_name)`,
      lastLogin: Prisma.sql`COALESCE(u.last_login_at, 'epoch'::timestamptz)`,
      lastActivity: Prisma.sql`COALESCE(u.last_activity_at, 'epoch'::timestamptz)`,
      progress: Prisma.sql`COALESCE(per.avg_progress, 0)::float8`,
    }[q.sort];
    const cursorValue =
      after === undefined
        ? null
        : q.sort === 'progress'
          ? Prisma.sql`${Number(after[0])}::float8`
          : q.sort === 'name'
            ? Prisma.sql`${String(after[0])}::text`
            : Prisma.sql`${String(after[0])}::timestamptz`;
    const cmp = q.order === 'asc' ? Prisma.raw('>') : Prisma.raw('<');
    const dir = q.order === 'asc' ? Prisma.raw('ASC') : Prisma.raw('DESC');
    const segment =
      q.segment === 'inactive'
        ? Prisma.sql`AND ${inactiveSince(days)}`
        : q.segment === 'not_started'
          ? Prisma.sql`AND per.not_started`
          : q.segment === 'behind'
            ? Prisma.sql`AND per.behind`
            : Prisma.empty;
    // avg over float8: the exact mean rounded once (avg over int sums in numeric, several times slower).
    const per = Prisma.sql`
      SELECT e.user_id, count(*)::int AS programs, avg(e.progress::float8) AS avg_progress,
        (count(*) FILTER (WHERE e.status = 'completed'))::int AS completed,
        bool_or(e.status = 'enrolled' AND e.progress = 0) AS not_started,
        bool_or(e.behind) AS behind
      FROM (${subtreeEnrollments(scope)}) e
      ${q.programId ? Prisma.sql`WHERE e.program_id = ${q.programId}::uuid` : Prisma.empty}
      GROUP BY e.user_id`;
    const figures = Prisma.sql`COALESCE(per.programs, 0) AS programs, COALESCE(per.avg_progress, 0)::float8 AS avg_progress,
      COALESCE(per.completed, 0) AS completed, ${sortKey} AS sort_key`;
    const where = Prisma.sql`WHERE TRUE ${segment}
      ${cursorValue ? Prisma.sql`AND (${sortKey}, u.id) ${cmp} (${cursorValue}, ${String(after![1])}::uuid)` : Prisma.empty}`;
    const groupsOf = (user: Prisma.Sql) => Prisma.sql`(
      SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY g.name, g.id)
      FROM memberships m JOIN groups g ON g.id = m.group_id
      WHERE m.role = 'learner' AND m.user_id = ${user} AND m.group_id = ANY(${scope.subtree}::uuid[])) AS groups`;
    const userColumns = Prisma.sql`u.email, u.first_name, u.last_name, u.last_login_at, u.last_activity_at`;

    if (limit === null) {
      // The whole table, as CSV text made by the database: one line per learner, each field quoted and neutralised by
      // `csvSql`, times written as `toISOString` writes them, the average progress rounded to tenths as
      // `round` does (half up) and written as JavaScript writes the number. Every learner's row is read anyway; their
      // group names come from one pass over the subtree's learner memberships. On the server the lines come joined,
      // CSV_LINES_PER_CHUNK to a row (`chunk`): a 100,000-row export then makes 200 strings in the API, not 100,000
      // rows of fields. PGlite reads the lines page by page, with their keyset columns (`line`, `id`, `sort_key`).
      const time = (column: Prisma.Sql) =>
        Prisma.sql`COALESCE(to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '')`;
      const line = Prisma.sql`concat_ws(',', u.id::text, ${csvSql(Prisma.sql`u.email`)}, ${csvSql(Prisma.sql`u.first_name`)},
          ${csvSql(Prisma.sql`u.last_name`)}, ${csvSql(Prisma.sql`COALESCE(names.group_names, '')`)}, COALESCE(per.programs, 0)::text,
          (r.tenths / 10)::text || CASE WHEN r.tenths % 10 <> 0 THEN '.' || (r.tenths % 10)::text ELSE '' END,
          COALESCE(per.completed, 0)::text, ${time(Prisma.sql`u.last_login_at`)}, ${time(Prisma.sql`u.last_activity_at`)}) || chr(10)`;
      const rows = Prisma.sql`
        FROM u LEFT JOIN per ON per.user_id = u.id LEFT JOIN names ON names.user_id = u.id
        CROSS JOIN LATERAL (SELECT floor(COALESCE(per.avg_progress, 0) * 10 + 0.5)::bigint AS tenths) r
        ${where}`;
      const order = Prisma.sql`${sortKey} ${dir}, u.id ${dir}`;
      return Prisma.sql`
        WITH per AS (${per}),
        u AS (${activeLearners(scope, Prisma.sql`u.id, ${userColumns}`)}),
        names AS (
          SELECT m.user_id, string_agg(g.name, '; ' ORDER BY g.name, g.id) AS group_names
          FROM memberships m JOIN groups g ON g.id = m.group_id
          WHERE m.role = 'learner' AND m.group_id = ANY(${scope.subtree}::uuid[])
          GROUP BY m.user_id)
        ${
          chunked
            ? Prisma.sql`
        SELECT string_agg(x.line, '' ORDER BY x.n) AS chunk
        FROM (SELECT ${line} AS line, row_number() OVER (ORDER BY ${order}) AS n ${rows}) x
        GROUP BY (x.n - 1) / ${Prisma.raw(String(CSV_LINES_PER_CHUNK))}
        ORDER BY (x.n - 1) / ${Prisma.raw(String(CSV_LINES_PER_CHUNK))}`
            : Prisma.sql`
        SELECT ${line} AS line, u.id::text AS id, ${sortKey} AS sort_key ${rows}
        ORDER BY ${order}`
        }`;
    }
    if (q.sort === 'progress' && q.segment !== 'inactive') {
      return Prisma.sql`
        WITH ids AS (SELECT DISTINCT l.user_id AS id FROM (${subtreeLearnerIds(scope)}) l),
        per AS (${per}),
        page AS (
          SELECT u.id, ${figures} FROM ids u LEFT JOIN per ON per.user_id = u.id
          ${where}
          ORDER BY ${sortKey} ${dir}, u.id ${dir}
          LIMIT ${limit})
        SELECT page.id::text AS id, ${userColumns}, page.programs, page.avg_progress, page.completed, page.sort_key, ${groupsOf(Prisma.sql`page.id`)}
        FROM page JOIN users u ON u.id = page.id
        ORDER BY page.sort_key ${dir}, page.id ${dir}`;
    }
    return Prisma.sql`
      WITH per AS (${per}),
      u AS (${activeLearners(scope, Prisma.sql`u.id, ${userColumns}`)}),
      page AS (
        SELECT u.id, ${userColumns}, ${figures} FROM u LEFT JOIN per ON per.user_id = u.id
        ${where}
        ORDER BY ${sortKey} ${dir}, u.id ${dir}
        LIMIT ${limit})
      SELECT page.id::text AS id, page.email, page.first_name, page.last_name, page.last_login_at, page.last_activity_at,
        page.programs, page.avg_progress, page.completed, page.sort_key, ${groupsOf(Prisma.sql`page.id`)}
      FROM page
      ORDER BY page.sort_key ${dir}, page.id ${dir}`;
  }

  const cursorOf = (r: Pick<LearnerRow, 'id' | 'sort_key'>) => [
    r.sort_key instanceof Date ? r.sort_key.toISOString() : r.sort_key,
    r.id,
  ];

  const toRow = (r: LearnerRow & { groups: GroupSummary[] | null }) => ({
    user: toUserSummary(r),
    programs: r.programs,
    averageProgress: round(r.avg_progress, 1),
    completed: r.completed,
    lastLoginAt: iso(r.last_login_at),
    lastActivityAt: iso(r.last_activity_at),
    groups: r.groups ?? [],
  });

  return {
    async learners(principal: Principal, ref: string, q: LearnerQuery) {
      const [{ scope }, days] = await Promise.all([groupAccess(principal, ref), inactiveDays(q.inactiveDays)]);
      const after = decodeCursor(q.cursor, [q.sort === 'progress' ? 'number' : q.sort === 'name' ? 'text' : 'time', 'uuid']);
      // Hashed (stats.sql.ts): the per-learner aggregate is planned for a hundredth of its rows at a million users.
      const rows = await hashingAggregates<LearnerRow & { groups: GroupSummary[] | null }>(prisma, learnerSql(scope, q, days, after, q.limit + 1));
      const page = toPage(rows, q.limit, cursorOf);
      return { items: page.items.map(toRow), nextCursor: page.nextCursor };
    },

    /**
     * The whole table as CSV, streamed (never the whole set in memory). On the server one statement feeds every batch
     * through a cursor, two 500-line strings a batch, written by the database (no statement per batch, no object per
     * row in the API); read page by page, each page aggregated the whole subtree again (100 pages for 100,000
     * learners). PGlite reads keyset pages of lines. The strings go to the socket as they are: a Readable of Buffers
     * made one 70 KB Buffer per string, memory outside the heap that only a garbage collection gives back (+25 MB of
     * peak RSS for 100,000 rows in the bench, against +15–23 MB written as strings).
     */
    async learnersCsv(principal: Principal, ref: string, q: LearnerQuery): Promise<Readable> {
      const [{ scope }, days] = await Promise.all([groupAccess(principal, ref), inactiveDays(q.inactiveDays)]);
      async function* text(): AsyncGenerator<string> {
        yield 'user_id,email,first_name,last_name,groups,programs,average_progress,completed,last_login_at,last_activity_at\n';
        if (batches) {
          for await (const rows of batches<{ chunk: string }>(learnerSql(scope, q, days, undefined, null, true), 2))
            for (const r of rows) yield r.chunk;
          return;
        }
        const batch = 1000;
        let after: (string | number)[] | undefined;
        for (;;) {
          const rows = await prisma.$queryRaw<(Pick<LearnerRow, 'id' | 'sort_key'> & { line: string })[]>(
            keysetPage(learnerSql(scope, q, days, after, null), batch),
          );
          yield rows.map((r) => r.line).join('');
          if (rows.length < batch) return;
          after = cursorOf(rows.at(-1)!);
        }
      }
      return Readable.from(text(), { highWaterMark: 2 });
    },
  };
}

/** A keyset page of the whole table's statement (PGlite, without a server-side cursor): its order, then a limit. */
const keysetPage = (whole: Prisma.Sql, limit: number) => Prisma.sql`${whole} LIMIT ${limit}`;

/**
 * A CSV field from a text expression, in SQL: a leading `=`, `+`, `-`, `@`, tab or carriage return is neutralised with
 * a quote (CSV injection), then the field is quoted, its quotes doubled, when it holds a double quote, a comma or a
 * line break.
 */
function csvSql(value: Prisma.Sql): Prisma.Sql {
  const safe = Prisma.sql`(CASE WHEN left(${value}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || ${value} ELSE ${value} END)`;
  return Prisma.sql`(CASE WHEN strpos(${safe}, '"') > 0 OR strpos(${safe}, ',') > 0 OR strpos(${safe}, chr(10)) > 0 OR strpos(${safe}, chr(13)) > 0
    THEN '"' || replace(${safe}, '"', '""') || '"' ELSE ${safe} END)`;
}
