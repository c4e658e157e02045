import type { GroupRole } from '@covey/schema';
import { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db/sql.ts';
import { ancestorsCte, subtreeCte } from '../db/tree.ts';

/** What one user is to one group: roles held in it directly, and roles covering it from it or an ancestor. */
export type GroupFacts = {
  exists: boolean;
  direct: Set<GroupRole>;
  covering: Set<'observer' | 'admin'>;
  /** Roles covering it from a strict ancestor only (a group admin deletes what is inside their subtree). */
  coveringAbove: Set<'observer' | 'admin'>;
};

export async function groupFacts(db: Db, userId: string | null, groupId: string): Promise<GroupFacts> {
  return toGroupFacts(await db.$queryRaw<GroupFactRow[]>`WITH RECURSIVE ${groupFactsCte(userId, groupId)} SELECT depth, role FROM group_facts`);
}

export type GroupFactRow = { depth: number; role: GroupRole | null };

/**
 * The CTE `group_facts` (after `WITH RECURSIVE`): one row per group from this one up to the root (depth 0 is the
 * group itself) with the user's role there, if any. A statement can embed it to read the facts in the same round
 * trip as the data they guard.
 */
export const groupFactsCte = (userId: string | null, groupId: string) => Prisma.sql`
  ${ancestorsCte(groupId)},
  group_facts AS (
    SELECT anc.depth, m.role::text AS role
    FROM anc LEFT JOIN memberships m ON m.group_id = anc.id AND m.user_id = ${userId}::uuid
  )`;

export function toGroupFacts(rows: GroupFactRow[]): GroupFacts {
  const facts: GroupFacts = { exists: rows.length > 0, direct: new Set(), covering: new Set(), coveringAbove: new Set() };
  for (const row of rows) {
    if (!row.role) continue;
    if (row.depth === 0) facts.direct.add(row.role);
    if (row.role === 'observer' || row.role === 'admin') {
      facts.covering.add(row.role);
      if (row.depth > 0) facts.coveringAbove.add(row.role);
    }
  }
  return facts;
}

/** Does the user observe or administer (from any ancestor) a group the target user belongs to? */
export async function coversUser(db: Db, userId: string, targetUserId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ ok: boolean }[]>`
    WITH RECURSIVE ${ancestorsCte(Prisma.sql`SELECT group_id FROM memberships WHERE user_id = ${targetUserId}::uuid`)}
    SELECT EXISTS (
      SELECT 1 FROM memberships m JOIN anc ON anc.id = m.group_id
      WHERE m.user_id = ${userId}::uuid AND m.role IN ('observer', 'admin')
    ) AS ok`;
  return rows[0]?.ok ?? false;
}

export type ProgramFacts = {
  status: 'draft' | 'published' | 'archived';
  createdById: string | null;
  referentId: string | null;
  enrolled: boolean;
  /** The user observes or administers a group the program is assigned to (or one of its ancestors). */
  coversAssignedGroup: boolean;
};

export async function programFacts(db: Db, userId: string | null, programId: string): Promise<ProgramFacts | null> {
  const rows = await db.$queryRaw<
    { status: ProgramFacts['status']; created_by_id: string | null; referent_id: string | null; enrolled: boolean; covers: boolean }[]
  >`
    WITH RECURSIVE ${ancestorsCte(Prisma.sql`SELECT group_id FROM program_assignments WHERE program_id = ${programId}::uuid`)}
    SELECT p.status::text AS status, p.created_by_id::text, p.referent_id::text,
      EXISTS (SELECT 1 FROM enrollments e WHERE e.program_id = p.id AND e.user_id = ${userId}::uuid AND e.status <> 'withdrawn') AS enrolled,
      EXISTS (SELECT 1 FROM memberships m JOIN anc ON anc.id = m.group_id
              WHERE m.user_id = ${userId}::uuid AND m.role IN ('observer', 'admin')) AS covers
    FROM programs p WHERE p.id = ${programId}::uuid`;
  const row = rows[0];
  if (!row) return null;
  return {
    status: row.status,
    createdById: row.created_by_id,
    referentId: row.referent_id,
    enrolled: row.enrolled,
    coversAssignedGroup: row.covers,
  };
}

/** The groups a user observes or administers (a walk's start: with their subtrees, what the user covers). */
export const coveringGroups = (userId: string | null) =>
  Prisma.sql`SELECT group_id FROM memberships WHERE user_id = ${userId}::uuid AND role IN ('observer', 'admin')`;

/** The groups where a user holds the group admin role (a walk's start: with their subtrees, what the user manages). */
export const administeredGroups = (userId: string) =>
  Prisma.sql`SELECT group_id FROM memberships WHERE user_id = ${userId}::uuid AND role = 'admin'`;

/** Groups a user observes or administers, with their whole subtrees. */
export async function coveredGroupIds(db: Db, userId: string): Promise<Set<string>> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE ${subtreeCte(coveringGroups(userId), { name: 'cover' })}
    SELECT id::text FROM cover`;
  return new Set(rows.map((r) => r.id));
}
