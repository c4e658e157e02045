import { Readable } from 'node:stream';
import type { z } from 'zod';
import type { GroupSummary, learnerStatsQuerySchema } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Database } from '../../db/database.ts';
import type { Db } from '../../db/sql.ts';
import { toUserSummary, type UserSummaryRow } from '../../db/user-summary.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import { activeLearners, inactiveSince, iso, resolveScope, round, subtreeEnrollments, type Scope } from './stats.sql.ts';

export type LearnerQuery = z.output<typeof learnerStatsQuerySchema>;

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
 * the group's id when the caller may read its statistics; `inactiveDays` the workspace's threshold unless overridden.
 */
export function learnersTable(
  prisma: Db,
  {
    groupAccess,
    inactiveDays,
    batches,
  }: {
    groupAccess: (p: Principal, ref: string) => Promise<string>;
    inactiveDays: (override?: number) => Promise<number>;
    /** The database's cursor read (database.ts), when it has one: the CSV's statement then runs once. */
    batches: Database['batches'];
  },
) {
  /**
   * One page of the learners table. Enrollments are aggregated per learner first (one narrow GROUP BY over the
   * relevant enrollments), then joined to the learners read by primary key: never a GROUP BY over wide user rows.
   */
  function learnerSql(scope: Scope, q: LearnerQuery, days: number, after: (string | number)[] | undefined, limit: number | null) {
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
    return Prisma.sql`
      WITH per AS (
        SELECT e.user_id, count(*)::int AS programs, avg(e.progress)::float8 AS avg_progress,
          (count(*) FILTER (WHERE e.status = 'completed'))::int AS completed,
          bool_or(e.status = 'enrolled' AND e.progress = 0) AS not_started,
          bool_or(e.behind) AS behind
        FROM (${subtreeEnrollments(scope)}) e
        ${q.programId ? Prisma.sql`WHERE e.program_id = ${q.programId}::uuid` : Prisma.empty}
        GROUP BY e.user_id
      ),
      u AS (${activeLearners(scope, Prisma.sql`u.id, u.email, u.first_name, u.last_name, u.last_login_at, u.last_activity_at`)})
      SELECT u.id::text AS id, u.email, u.first_name, u.last_name, u.last_login_at, u.last_activity_at,
        COALESCE(per.programs, 0) AS programs, COALESCE(per.avg_progress, 0)::float8 AS avg_progress,
        COALESCE(per.completed, 0) AS completed,
        ${sortKey} AS sort_key
      FROM u LEFT JOIN per ON per.user_id = u.id
      WHERE TRUE ${segment}
        ${cursorValue ? Prisma.sql`AND (${sortKey}, u.id) ${cmp} (${cursorValue}, ${String(after![1])}::uuid)` : Prisma.empty}
      ORDER BY ${sortKey} ${dir}, u.id ${dir}
      ${limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`}`;
  }

  const cursorOf = (r: LearnerRow) => [
    r.sort_key instanceof Date ? r.sort_key.toISOString() : r.sort_key,
    r.id,
  ];

  const toRow = (r: LearnerRow, groups: Map<string, GroupSummary[]>) => ({
    user: toUserSummary(r),
    programs: r.programs,
    averageProgress: round(r.avg_progress, 1),
    completed: r.completed,
    lastLoginAt: iso(r.last_login_at),
    lastActivityAt: iso(r.last_activity_at),
    groups: groups.get(r.id) ?? [],
  });

  /** The groups of the subtree each learner of a page is a learner of (one statement for the page). */
  async function groupsOf(scope: Scope, rows: LearnerRow[]): Promise<Map<string, GroupSummary[]>> {
    if (!rows.length) return new Map();
    const found = await prisma.$queryRaw<{ user_id: string; groups: GroupSummary[] }[]>`
      SELECT m.user_id::text, json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY g.name, g.id) AS groups
      FROM memberships m JOIN groups g ON g.id = m.group_id
      WHERE m.role = 'learner' AND m.user_id = ANY(${rows.map((r) => r.id)}::uuid[]) AND m.group_id = ANY(${scope.subtree}::uuid[])
      GROUP BY m.user_id`;
    return new Map(found.map((f) => [f.user_id, f.groups]));
  }

  return {
    async learners(principal: Principal, ref: string, q: LearnerQuery) {
      const groupId = await groupAccess(principal, ref);
      const after = decodeCursor(q.cursor, [q.sort === 'progress' ? 'number' : q.sort === 'name' ? 'text' : 'time', 'uuid']);
      const [days, scope] = await Promise.all([inactiveDays(q.inactiveDays), resolveScope(prisma, groupId)]);
      const rows = await prisma.$queryRaw<LearnerRow[]>(learnerSql(scope, q, days, after, q.limit + 1));
      const page = toPage(rows, q.limit, cursorOf);
      const groups = await groupsOf(scope, page.items);
      return { items: page.items.map((r) => toRow(r, groups)), nextCursor: page.nextCursor };
    },

    /**
     * The whole table as CSV, streamed in batches (never the whole set in memory). On the server one statement feeds
     * every batch through a cursor; read page by page, each page aggregated the whole subtree again (100 pages for
     * 100,000 learners). PGlite reads keyset pages.
     */
    async learnersCsv(principal: Principal, ref: string, q: LearnerQuery): Promise<Readable> {
      const groupId = await groupAccess(principal, ref);
      const [days, scope] = await Promise.all([inactiveDays(q.inactiveDays), resolveScope(prisma, groupId)]);
      const batch = 1000;
      async function* pages(): AsyncGenerator<LearnerRow[]> {
        if (batches) {
          yield* batches<LearnerRow>(learnerSql(scope, q, days, undefined, null), batch);
          return;
        }
        let after: (string | number)[] | undefined;
        for (;;) {
          const rows = await prisma.$queryRaw<LearnerRow[]>(learnerSql(scope, q, days, after, batch));
          yield rows;
          if (rows.length < batch) return;
          after = cursorOf(rows.at(-1)!);
        }
      }
      async function* lines() {
        yield 'user_id,email,first_name,last_name,groups,programs,average_progress,completed,last_login_at,last_activity_at\n';
        for await (const rows of pages()) {
          const groups = await groupsOf(scope, rows);
          for (const r of rows) {
            const x = toRow(r, groups);
            const names = x.groups.map((g) => g.name).join('; ');
            yield [x.user.id, x.user.email, x.user.firstName, x.user.lastName, names, x.programs, x.averageProgress, x.completed, x.lastLoginAt ?? '', x.lastActivityAt ?? '']
              .map(csvField)
              .join(',') + '\n';
          }
        }
      }
      return Readable.from(lines());
    },
  };
}

function csvField(value: string | number): string {
  const text = String(value);
  // Quote when needed, and neutralise spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
