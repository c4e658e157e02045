import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../../db/sql.ts';
import { ancestorsCte, subtreeCte } from '../../db/tree.ts';
import { administeredGroups, coveringGroups } from '../../policy/index.ts';
import type { GroupFactRow } from '../../policy/facts.ts';
import type { GroupBranding } from '@covey/schema';
import { fileUrl, type GroupRow } from './group-view.ts';
import type { UserSummaryRow } from '../../db/user-summary.ts';

/** Groups a user may see: where they hold any role, plus the subtrees they observe or administer. */
export const visibleGroupIds = (userId: string) => Prisma.sql`
  WITH RECURSIVE ${subtreeCte(coveringGroups(userId), { name: 'cover' })}
  SELECT id FROM cover UNION SELECT group_id FROM memberships WHERE user_id = ${userId}::uuid`;

const columns = (viewerId: string | null) => Prisma.sql`
  g.id::text, g.name, g.description, g.parent_id::text, g.external_id, g.welcome_message, g.colors,
  g.logo_file_id::text, g.background_file_id::text, g.created_at, g.updated_at,
  (SELECT count(DISTINCT m.user_id) FROM memberships m WHERE m.group_id = g.id)::int AS member_count,
  (SELECT count(*) FROM groups c WHERE c.parent_id = g.id)::int AS child_count,
  (SELECT array_agg(m.role::text ORDER BY m.role) FROM memberships m WHERE m.group_id = g.id AND m.user_id = ${viewerId}::uuid) AS my_roles`;

export async function selectGroups(
  db: Db,
  opts: {
    viewerId: string | null;
    onlyVisibleTo?: string;
    /** Only the groups this user administers and those below them. */
    onlyManagedBy?: string;
    /** Leave out this group and its subtree. */
    outside?: string;
    ids?: string[];
    /** A group id, or 'root' for top-level groups. */
    parentId?: string;
    q?: string;
    after?: [string, string];
    limit: number;
  },
): Promise<GroupRow[]> {
  const where: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (opts.onlyVisibleTo) where.push(Prisma.sql`g.id IN (${visibleGroupIds(opts.onlyVisibleTo)})`);
  if (opts.onlyManagedBy)
    where.push(Prisma.sql`g.id IN (WITH RECURSIVE ${subtreeCte(administeredGroups(opts.onlyManagedBy), { name: 'managed' })} SELECT id FROM managed)`);
  if (opts.outside) where.push(Prisma.sql`g.id NOT IN (WITH RECURSIVE ${subtreeCte(opts.outside, { name: 'outside' })} SELECT id FROM outside)`);
  if (opts.ids) where.push(Prisma.sql`g.id = ANY(${opts.ids}::uuid[])`);
  if (opts.parentId === 'root') where.push(Prisma.sql`g.parent_id IS NULL`);
  else if (opts.parentId) where.push(Prisma.sql`g.parent_id = ${opts.parentId}::uuid`);
  if (opts.q) where.push(Prisma.sql`g.name ILIKE ${`%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (opts.after) where.push(Prisma.sql`(g.name, g.id) > (${opts.after[0]}, ${opts.after[1]}::uuid)`);
  return db.$queryRaw<GroupRow[]>`
    SELECT ${columns(opts.viewerId)} FROM groups g
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY g.name, g.id
    LIMIT ${opts.limit}`;
}

type BrandingRow = {
  start: string;
  depth: number;
  id: string;
  name: string;
  primary: string | null;
  accent: string | null;
  logo_file_id: string | null;
  background_file_id: string | null;
  /** The viewer's roles in this ancestor (their facts about the start group, for the policy). */
  roles: GroupFactRow['role'][] | null;
};

export type GroupExtras = { branding: GroupBranding; inherited: GroupBranding; facts: GroupFactRow[] };

/**
 * What each group shows and what it would inherit: each colour and image from the nearest group, going up from the
 * group itself (or from its parent, for the inherited one), that sets it; and the viewer's roles on the way up (the
 * policy's facts about each group). One walk for all the groups of a page.
 */
export async function brandingOf(db: Db, ids: string[], viewerId: string | null): Promise<Map<string, GroupExtras>> {
  const rows = ids.length
    ? await db.$queryRaw<BrandingRow[]>`
        WITH RECURSIVE ${ancestorsCte(Prisma.sql`SELECT s, s FROM unnest(${ids}::uuid[]) AS s`, { carry: 'start' })}
        SELECT anc.start::text AS start, anc.depth, g.id::text, g.name, g.colors->>'primary' AS primary,
          g.colors->>'accent' AS accent, g.logo_file_id::text, g.background_file_id::text,
          ${viewerId ? Prisma.sql`(SELECT array_agg(m.role::text) FROM memberships m WHERE m.user_id = ${viewerId}::uuid AND m.group_id = g.id)` : Prisma.sql`NULL::text[]`} AS roles
        FROM anc JOIN groups g ON g.id = anc.id
        ORDER BY anc.start, anc.depth`
    : [];
  const empty = (): GroupBranding => ({ primary: null, accent: null, logoUrl: null, backgroundUrl: null });
  const result = new Map<string, GroupExtras>();
  for (const row of rows) {
    let entry = result.get(row.start);
    if (!entry) result.set(row.start, (entry = { branding: empty(), inherited: empty(), facts: [] }));
    for (const role of row.roles ?? [null]) entry.facts.push({ depth: row.depth, role });
    const from = { id: row.id, name: row.name };
    const values: [keyof GroupBranding, string | null][] = [
      ['primary', row.primary],
      ['accent', row.accent],
      ['logoUrl', fileUrl(row.logo_file_id)],
      ['backgroundUrl', fileUrl(row.background_file_id)],
    ];
    // Rows come nearest first: the first value met is the one shown.
    for (const [key, value] of values) {
      if (value === null) continue;
      entry.branding[key] ??= { value, from };
      if (row.depth > 0) entry.inherited[key] ??= { value, from };
    }
  }
  return result;
}

/** True when `candidate` is `groupId` or one of its descendants (a move there would make a cycle). */
export async function isInSubtree(db: Db, groupId: string, candidate: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ hit: boolean }[]>`
    WITH RECURSIVE ${ancestorsCte(candidate)}
    SELECT EXISTS (SELECT 1 FROM anc WHERE id = ${groupId}::uuid) AS hit`;
  return rows[0]?.hit ?? false;
}

export type MemberRow = UserSummaryRow & {
  sources: { role: 'learner' | 'observer' | 'admin'; source: 'manual' | 'api' | 'scim' | 'rule' }[];
};

/** One page of a group's members (keyset on e-mail), roles and how each was made, in one query. */
export const membersPageSql = (groupId: string, role: string | undefined, afterEmail: string | undefined, limit: number) => Prisma.sql`
  SELECT u.id::text, u.email, u.first_name, u.last_name,
    json_agg(json_build_object('role', m.role, 'source', m.source) ORDER BY m.role) AS sources
  FROM memberships m JOIN users u ON u.id = m.user_id
  WHERE m.group_id = ${groupId}::uuid ${afterEmail ? Prisma.sql`AND u.email > ${afterEmail}` : Prisma.empty}
  GROUP BY u.id
  ${role ? Prisma.sql`HAVING bool_or(m.role = ${role}::"GroupRole")` : Prisma.empty}
  ORDER BY u.email
  LIMIT ${limit}`;
