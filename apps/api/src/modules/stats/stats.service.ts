import { Prisma } from '../../generated/prisma/client.ts';
import type { Deps } from '../../lib/deps.ts';
import type { Principal, UserPrincipal } from '../../lib/principal.ts';
import { isUuid } from '../../lib/refs.ts';
import { requireGroup, requireProgram } from '../../policy/index.ts';
import { learnersTable } from './learners-table.ts';
import { activeLearners, activeWithin, behind, hashingAggregates, iso, last12WeekStarts, programFigures, resolveScope, round, type Scope } from './stats.sql.ts';

export function statsService(deps: Deps<'db'>) {
  const prisma = deps.db.prisma;

  /**
   * Group statistics: observers and group admins over their subtree, workspace admins everywhere; else 404/403. Answers
   * the group's id and its scope. A reference that is an id needs no lookup, so the scope is resolved beside the
   * access check (one round trip less); it is dropped when access is denied.
   */
  async function groupAccess(principal: Principal, ref: string): Promise<{ groupId: string; scope: Scope }> {
    const early = isUuid(ref) ? resolveScope(prisma, ref.toLowerCase()) : null;
    const [access, scope] = await Promise.all([requireGroup(prisma, principal, ref, 'stats'), early]);
    return { groupId: access.id, scope: scope ?? (await resolveScope(prisma, access.id)) };
  }

  async function inactiveDays(override?: number) {
    if (override) return override;
    const w = await prisma.workspace.findUnique({ where: { id: 1 }, select: { inactiveDays: true } });
    return w?.inactiveDays ?? 14;
  }

  return {
    groupAccess,
    ...learnersTable(prisma, { groupAccess, inactiveDays, batches: deps.db.batches }),

    async myStats(user: UserPrincipal) {
      const [me, perProgram, weeks] = await Promise.all([
        prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { lastLoginAt: true, lastActivityAt: true } }),
        prisma.$queryRaw<{ program_id: string; title: string; status: string; progress: number; completed_at: Date | null; steps_done: number; step_count: number }[]>`
          SELECT e.program_id::text, p.title, e.status::text, e.progress, e.completed_at,
            (SELECT count(*) FROM step_completions sc JOIN program_steps s ON s.id = sc.step_id
              WHERE s.program_id = e.program_id AND sc.user_id = e.user_id)::int AS steps_done,
            (SELECT count(*) FROM program_steps s WHERE s.program_id = e.program_id)::int AS step_count
          FROM enrollments e JOIN programs p ON p.id = e.program_id
          WHERE e.user_id = ${user.id}::uuid AND e.status <> 'withdrawn' AND p.status <> 'draft'
          ORDER BY p.title`,
        prisma.$queryRaw<{ week: Date }[]>`
          SELECT DISTINCT date_trunc('week', day)::date AS week FROM activity_days
          WHERE user_id = ${user.id}::uuid AND day > now() - interval '3 years' ORDER BY week DESC`,
      ]);
      return {
        programs: {
          enrolled: perProgram.length,
          inProgress: perProgram.filter((p) => p.status === 'in_progress').length,
          completed: perProgram.filter((p) => p.status === 'completed').length,
        },
        stepsDone: perProgram.reduce((n, p) => n + p.steps_done, 0),
        lastLoginAt: iso(me.lastLoginAt),
        lastActivityAt: iso(me.lastActivityAt),
        activeWeeksStreak: streak(weeks.map((w) => new Date(w.week))),
        perProgram: perProgram.map((p) => ({
          programId: p.program_id,
          title: p.title,
          status: p.status as 'enrolled',
          progress: p.progress,
          stepsDone: p.steps_done,
          stepCount: p.step_count,
          completedAt: iso(p.completed_at),
        })),
      };
    },

    /**
     * Two statements run side by side: the learners' own figures (read by primary key) and one pass over their
     * relevant enrollments, grouped by program and week of completion.
     */
    async groupStats(principal: Principal, ref: string) {
      const { groupId, scope } = await groupAccess(principal, ref);
      const weeks = last12WeekStarts();
      const since = weeks[0]!;
      const [[people], rows] = await Promise.all([
        // One pass over the learners' own rows (read by primary key): each learner's active weeks are on their row
        // (users.active_weeks, distinct Mondays), so a week's active learners are those whose array holds it (an
        // element test per week: cheaper than unnesting every array and grouping the weeks again).
        prisma.$queryRaw<{ members: number; active7d: number; active30d: number; never: number; active: number[] }[]>`
          SELECT count(*)::int AS members,
            (count(*) FILTER (WHERE ${activeWithin(7)}))::int AS active7d,
            (count(*) FILTER (WHERE ${activeWithin(30)}))::int AS active30d,
            (count(*) FILTER (WHERE u.last_login_at IS NULL))::int AS never,
            ARRAY[${Prisma.join(weeks.map((w) => Prisma.sql`count(*) FILTER (WHERE ${w}::date = ANY(u.active_weeks))`))}]::int[] AS active
          FROM (${activeLearners(scope, Prisma.sql`u.last_login_at, u.last_activity_at, u.active_weeks`)}) u`,
        // Grouped by (program, week of completion), hashed: at most 13 rows per program, summed below by program and
        // by week.
        hashingAggregates<{ program_id: string; title: string; completed_week: string | null; enrolled: number; not_started: number; in_progress: number; completed: number; behind: number; progress_sum: number }>(
          prisma,
          programFigures(scope, since),
        ),
      ]);
      const byProgram = new Map<string, (typeof rows)[number]>();
      const completions = new Map<string, number>();
      for (const r of rows) {
        const p = byProgram.get(r.program_id);
        if (!p) byProgram.set(r.program_id, { ...r });
        else
          for (const k of ['enrolled', 'not_started', 'in_progress', 'completed', 'behind', 'progress_sum'] as const) p[k] += r[k];
        if (r.completed_week) completions.set(r.completed_week, (completions.get(r.completed_week) ?? 0) + r.enrolled);
      }
      const programs = [...byProgram.values()];
      const enrollments = programs.reduce((n, p) => n + p.enrolled, 0);
      const completed = programs.reduce((n, p) => n + p.completed, 0);
      const progressSum = programs.reduce((n, p) => n + p.progress_sum, 0);
      return {
        groupId,
        members: people!.members,
        active7d: people!.active7d,
        active30d: people!.active30d,
        neverLoggedIn: people!.never,
        enrollments,
        completed,
        completionRate: enrollments ? round(completed / enrollments, 4) : 0,
        averageProgress: enrollments ? round(progressSum / enrollments, 1) : 0,
        programs: programs.map((p) => ({
          programId: p.program_id,
          title: p.title,
          enrolled: p.enrolled,
          notStarted: p.not_started,
          inProgress: p.in_progress,
          completed: p.completed,
          behind: p.behind,
          completionRate: p.enrolled ? round(p.completed / p.enrolled, 4) : 0,
          averageProgress: p.enrolled ? round(p.progress_sum / p.enrolled, 1) : 0,
        })),
        weekly: weeks.map((week, i) => ({ weekStart: week, activeLearners: people!.active[i] ?? 0, completions: completions.get(week) ?? 0 })),
      };
    },

    async programStats(principal: Principal, programId: string) {
      await requireProgram(prisma, principal, programId, 'enrollments');
      const [r] = await prisma.$queryRaw<
        { enrolled: number; not_started: number; in_progress: number; completed: number; behind: number; avg_progress: number; groups: { groupId: string; name: string; enrolled: number; completed: number; averageProgress: number }[]; weekly: { week_start: string; completions: number; active: number }[] }[]
      >`
        WITH rel AS (
          SELECT e.* FROM enrollments e JOIN users u ON u.id = e.user_id AND u.status = 'active'
          WHERE e.program_id = ${programId}::uuid AND e.status <> 'withdrawn'
        )
        SELECT
          (SELECT count(*) FROM rel)::int AS enrolled,
          (SELECT count(*) FROM rel WHERE status = 'enrolled' AND progress = 0)::int AS not_started,
          (SELECT count(*) FROM rel WHERE status = 'in_progress')::int AS in_progress,
          (SELECT count(*) FROM rel WHERE status = 'completed')::int AS completed,
          (SELECT count(*) FROM rel JOIN programs p ON p.id = rel.program_id WHERE ${behind('rel', 'p')})::int AS behind,
          (SELECT COALESCE(avg(progress), 0) FROM rel)::float8 AS avg_progress,
          (SELECT COALESCE(json_agg(x ORDER BY x.name), '[]'::json) FROM (
            SELECT g.id AS "groupId", g.name, count(DISTINCT rel.id)::int AS enrolled,
              (count(DISTINCT rel.id) FILTER (WHERE rel.status = 'completed'))::int AS completed,
              COALESCE(avg(rel.progress), 0)::float8 AS "averageProgress"
            FROM rel JOIN enrollment_sources s ON s.enrollment_id = rel.id
            JOIN program_assignments a ON a.id = s.assignment_id JOIN groups g ON g.id = a.group_id
            GROUP BY g.id, g.name) x) AS groups,
          (SELECT json_agg(w ORDER BY w.week_start) FROM (
            SELECT wk.week_start,
              (SELECT count(*) FROM rel WHERE rel.completed_at >= wk.week_start AND rel.completed_at < wk.week_start + 7)::int AS completions,
              (SELECT count(DISTINCT ad.user_id) FROM activity_days ad JOIN rel ON rel.user_id = ad.user_id
                WHERE ad.day >= wk.week_start AND ad.day < wk.week_start + 7)::int AS active
            FROM unnest(${last12WeekStarts()}::date[]) AS wk(week_start)) w) AS weekly`;
      return {
        programId,
        enrolled: r!.enrolled,
        notStarted: r!.not_started,
        inProgress: r!.in_progress,
        completed: r!.completed,
        behind: r!.behind,
        completionRate: r!.enrolled ? round(r!.completed / r!.enrolled, 4) : 0,
        averageProgress: round(r!.avg_progress, 1),
        groups: r!.groups.map((g) => ({ ...g, averageProgress: round(g.averageProgress, 1) })),
        weekly: (r!.weekly ?? []).map((w) => ({ weekStart: String(w.week_start).slice(0, 10), completions: w.completions, activeLearners: w.active })),
      };
    },
  };
}

/** Consecutive ISO weeks with activity, counting back from this week (or from last week if this one is empty). */
export function streak(weeksDesc: Date[], now = new Date()): number {
  const monday = (d: Date) => {
    const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    x.setUTCDate(x.getUTCDate() - ((x.getUTCDay() + 6) % 7));
    return x.getTime();
  };
  const have = new Set(weeksDesc.map((w) => monday(w)));
  const week = 7 * 86_400_000;
  let cursor = monday(now);
  if (!have.has(cursor)) cursor -= week;
  let n = 0;
  while (have.has(cursor)) {
    n += 1;
    cursor -= week;
  }
  return n;
}
