import type { Deps } from '../../lib/deps.ts';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import { ancestorsCte, subtreeCte } from '../../db/tree.ts';
import { queueMails } from '../mail/mail.service.ts';
import { templates } from '../mail/templates.ts';
import { activeWithin, behind, inactiveSince } from '../stats/stats.sql.ts';
import { publicUrl } from '../../lib/public-url.ts';
import type { Database } from '../../db/database.ts';
import { forbidden } from '../../lib/errors.ts';
import { readSettings } from '../settings/settings.service.ts';

export const OBSERVER_DIGEST_QUEUE = 'digests.observers';

type Person = { id: string; name: string; lastLoginAt?: string | null; progress?: number };
type ProgramPart = { programId: string; title: string; enrolled: number; completed: number; averageProgress: number; behind: Person[]; behindCount: number };
export type GroupPart = {
  groupId: string;
  name: string;
  members: number;
  newMembers: number;
  active7d: number;
  completionRate: number;
  inactive: { id: string; name: string; lastLoginAt: string | null }[];
  inactiveCount: number;
  programs: { programId: string; title: string; enrolled: number; completed: number; averageProgress: number; behind: { id: string; name: string; progress: number }[]; behindCount: number }[];
};
export type ObserverDigest = { observerId: string; email: string; firstName: string; groups: GroupPart[] };

type Row = {
  observer_id: string;
  email: string;
  first_name: string;
  group_id: string;
  group_name: string;
  members: number | null;
  new_members: number | null;
  active7d: number | null;
  inactive_count: number | null;
  inactive: Person[] | null;
  programs: ProgramPart[];
};

const LIST = 20;

/**
 * Every observer's digest content in one statement: for each (observer, observed group) the subtree's
 * participation, new members, inactive learners, and per program completion and learners behind schedule.
 */
export async function computeDigests(
  prisma: PrismaClient,
  opts: { since: Date; inactiveDays: number; observerId?: string },
): Promise<ObserverDigest[]> {
  // Step by step through temporary tables that the planner can count (ANALYZE), instead of one statement whose
  // recursive parts it cannot estimate: every step is still one set-based statement over all observers.
  const rows = await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`
      CREATE TEMP TABLE dg_og ON COMMIT DROP AS
      SELECT DISTINCT m.user_id AS observer_id, m.group_id AS root
      FROM memberships m JOIN users u ON u.id = m.user_id AND u.status = 'active'
      WHERE m.role = 'observer' ${opts.observerId ? Prisma.sql`AND m.user_id = ${opts.observerId}::uuid` : Prisma.empty}`;
    // Each observed group walks the tree once, carrying its name (`root`) down its subtree and up to its ancestors.
    const roots = Prisma.sql`SELECT DISTINCT root, root FROM dg_og`;
    await tx.$executeRaw`
      CREATE TEMP TABLE dg_scope ON COMMIT DROP AS
      WITH RECURSIVE ${subtreeCte(roots, { name: 'tree', carry: 'root' })},
      ${ancestorsCte(roots, { name: 'ancs', carry: 'root' })}
      SELECT root, id, true AS in_tree FROM tree
      UNION SELECT root, id, false FROM ancs WHERE NOT EXISTS (SELECT 1 FROM tree WHERE tree.root = ancs.root AND tree.id = ancs.id)`;
    await tx.$executeRaw`ANALYZE dg_scope`;
    await tx.$executeRaw`
      CREATE TEMP TABLE dg_gl ON COMMIT DROP AS
      SELECT s.root, m.user_id, min(m.created_at) AS joined
      FROM dg_scope s JOIN memberships m ON m.group_id = s.id AND m.role = 'learner'
      JOIN users u ON u.id = m.user_id AND u.status = 'active'
      WHERE s.in_tree
      GROUP BY s.root, m.user_id`;
    await tx.$executeRaw`ANALYZE dg_gl`;
    await tx.$executeRaw`
      CREATE TEMP TABLE dg_programs ON COMMIT DROP AS
      SELECT DISTINCT s.root, a.program_id FROM dg_scope s JOIN program_assignments a ON a.group_id = s.id`;
    await tx.$executeRaw`
      CREATE TEMP TABLE dg_rel ON COMMIT DROP AS
      SELECT gl.root, e.id, e.user_id, e.program_id, e.status, e.progress
      FROM dg_gl gl JOIN enrollments e ON e.user_id = gl.user_id AND e.status <> 'withdrawn'
      JOIN dg_programs dp ON dp.root = gl.root AND dp.program_id = e.program_id`;
    await tx.$executeRaw`ANALYZE dg_rel`;
    return tx.$queryRaw<Row[]>`
      WITH per_root AS (
        SELECT gl.root, count(*)::int AS members,
          (count(*) FILTER (WHERE gl.joined >= ${opts.since}::timestamptz))::int AS new_members,
          (count(*) FILTER (WHERE ${activeWithin(7)}))::int AS active7d,
          (count(*) FILTER (WHERE ${inactiveSince(opts.inactiveDays)}))::int AS inactive_count,
          to_jsonb((array_agg(jsonb_build_object('id', u.id, 'name', u.first_name || ' ' || u.last_name, 'lastLoginAt', u.last_login_at)
            ORDER BY u.last_login_at NULLS FIRST, u.last_name) FILTER (WHERE ${inactiveSince(opts.inactiveDays)}))[1:${LIST}]) AS inactive
        FROM dg_gl gl JOIN users u ON u.id = gl.user_id
        GROUP BY gl.root
      ),
      per_program AS (
        SELECT rel.root, jsonb_build_object(
          'programId', p.id, 'title', p.title, 'enrolled', count(*),
          'completed', count(*) FILTER (WHERE rel.status = 'completed'),
          'averageProgress', round(avg(rel.progress)::numeric, 1),
          'behindCount', count(*) FILTER (WHERE ${behind('rel', 'p')}),
          'behind', COALESCE(to_jsonb((array_agg(jsonb_build_object('id', u.id, 'name', u.first_name || ' ' || u.last_name, 'progress', rel.progress)
            ORDER BY rel.progress, u.last_name) FILTER (WHERE ${behind('rel', 'p')}))[1:${LIST}]), '[]'::jsonb)
        ) AS data, p.title
        FROM dg_rel rel JOIN programs p ON p.id = rel.program_id JOIN users u ON u.id = rel.user_id
        GROUP BY rel.root, p.id, p.title
      ),
      programs_of AS (SELECT root, jsonb_agg(data ORDER BY title) AS programs FROM per_program GROUP BY root)
      SELECT og.observer_id::text, o.email, o.first_name, g.id::text AS group_id, g.name AS group_name,
        pr.members, pr.new_members, pr.active7d, pr.inactive_count, pr.inactive,
        COALESCE(po.programs, '[]'::jsonb) AS programs
      FROM dg_og og JOIN users o ON o.id = og.observer_id JOIN groups g ON g.id = og.root
      LEFT JOIN per_root pr ON pr.root = og.root
      LEFT JOIN programs_of po ON po.root = og.root
      ORDER BY og.observer_id, g.name`;
  });

  const byObserver = new Map<string, ObserverDigest>();
  for (const r of rows) {
    const digest = byObserver.get(r.observer_id) ?? { observerId: r.observer_id, email: r.email, firstName: r.first_name, groups: [] };
    const programs = r.programs.map((p) => ({
      programId: p.programId,
      title: p.title,
      enrolled: Number(p.enrolled),
      completed: Number(p.completed),
      averageProgress: Number(p.averageProgress),
      behind: p.behind.map((b) => ({ id: b.id, name: b.name, progress: Number(b.progress) })),
      behindCount: Number(p.behindCount),
    }));
    const enrolled = programs.reduce((n, p) => n + p.enrolled, 0);
    digest.groups.push({
      groupId: r.group_id,
      name: r.group_name,
      members: r.members ?? 0,
      newMembers: r.new_members ?? 0,
      active7d: r.active7d ?? 0,
      completionRate: enrolled ? Math.round((programs.reduce((n, p) => n + p.completed, 0) / enrolled) * 10_000) / 10_000 : 0,
      inactive: (r.inactive ?? []).map((p) => ({ id: p.id, name: p.name, lastLoginAt: p.lastLoginAt ? new Date(p.lastLoginAt).toISOString() : null })),
      inactiveCount: r.inactive_count ?? 0,
      programs,
    });
    byObserver.set(r.observer_id, digest);
  }
  return [...byObserver.values()];
}

/** Nothing to report: no learner in any observed group. */
export const hasContent = (d: ObserverDigest) => d.groups.some((g) => g.members > 0);

export function renderDigest(d: ObserverDigest, inactiveDays: number, baseUrl: string) {
  const paragraphs: string[] = [];
  for (const g of d.groups.filter((x) => x.members > 0)) {
    const lines = [
      `${g.name}: ${g.members} learners, ${g.active7d} active this week, ${g.newMembers} new; completion ${Math.round(g.completionRate * 100)}%.`,
    ];
    if (g.inactiveCount)
      lines.push(`Not logged in for ${inactiveDays} days (${g.inactiveCount}): ${g.inactive.map((p) => p.name).join(', ')}${g.inactiveCount > g.inactive.length ? ', …' : ''}.`);
    for (const p of g.programs) {
      lines.push(`${p.title}: ${p.completed}/${p.enrolled} completed, average progress ${p.averageProgress}%.` +
        (p.behindCount ? ` Behind schedule (${p.behindCount}): ${p.behind.map((b) => `${b.name} (${b.progress}%)`).join(', ')}${p.behindCount > p.behind.length ? ', …' : ''}.` : ''));
    }
    paragraphs.push(lines.join('\n'));
  }
  const title = d.groups.length === 1 ? `Your group ${d.groups[0]!.name} this week` : `Your ${d.groups.length} groups this week`;
  return templates.observerDigest({ recipient: d.firstName, title, paragraphs, url: `${baseUrl}/dashboard` });
}

export function currentPeriod(frequency: 'daily' | 'weekly', now = new Date()): { key: string; since: Date } {
  if (frequency === 'daily') return { key: now.toISOString().slice(0, 10), since: new Date(now.getTime() - 86_400_000) };
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return { key: `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`, since: new Date(now.getTime() - 7 * 86_400_000) };
}

/**
 * One digest run per period, whatever the number of processes or runs: the run row is unique per period, and each
 * observer's delivery row is inserted in the same transaction as their mail (ON CONFLICT DO NOTHING), so a
 * concurrent or resumed run skips who was already served and a crash mid-run neither skips nor doubles mails.
 */
export async function runObserverDigests(deps: Deps<'db' | 'env' | 'boss'>, now = new Date()) {
  const prisma = deps.db.prisma;
  const workspace = await prisma.workspace.findUniqueOrThrow({ where: { id: 1 } });
  if (workspace.digestFrequency === 'never') return { period: null, sent: 0 };
  const period = currentPeriod(workspace.digestFrequency, now);
  await prisma.$executeRaw`INSERT INTO digest_runs (period) VALUES (${period.key}) ON CONFLICT (period) DO NOTHING`;
  const run = await prisma.digestRun.findUniqueOrThrow({ where: { period: period.key } });
  if (run.finishedAt) return { period: period.key, sent: 0 };
  const digests = (await computeDigests(prisma, { since: period.since, inactiveDays: workspace.inactiveDays })).filter(hasContent);
  const base = publicUrl(deps);
  let sent = 0;
  for (let i = 0; i < digests.length; i += 200) {
    const chunk = digests.slice(i, i + 200);
    sent += await prisma.$transaction(async (tx) => {
      const claimed = await tx.$queryRaw<{ observer_id: string }[]>`
        INSERT INTO digest_deliveries (run_id, observer_id)
        SELECT ${run.id}::uuid, unnest(${chunk.map((d) => d.observerId)}::uuid[])
        ON CONFLICT DO NOTHING
        RETURNING observer_id::text`;
      const mine = new Set(claimed.map((c) => c.observer_id));
      const mails = chunk
        .filter((d) => mine.has(d.observerId))
        .map((d) => ({ to: d.email, kind: 'observer_digest', ...renderDigest(d, workspace.inactiveDays, base) }));
      await queueMails(deps, tx, mails);
      return mails.length;
    });
  }
  await prisma.digestRun.update({ where: { id: run.id }, data: { finishedAt: new Date() } });
  return { period: period.key, sent };
}

/** What a person's next observer digest would say; only observers have one. */
export async function previewDigest(db: Database, observerId: string, baseUrl: string) {
  const settings = await readSettings(db);
  const period = currentPeriod(settings.digestFrequency === 'daily' ? 'daily' : 'weekly');
  const [digest] = await computeDigests(db.prisma, { since: period.since, inactiveDays: settings.inactiveDays, observerId });
  if (!digest) throw forbidden('Digests are for observers: you observe no group.');
  const mail = renderDigest(digest, settings.inactiveDays, baseUrl);
  return {
    period: period.key,
    willSend: settings.digestFrequency !== 'never' && hasContent(digest),
    groups: digest.groups,
    subject: mail.subject,
    text: mail.text,
  };
}
