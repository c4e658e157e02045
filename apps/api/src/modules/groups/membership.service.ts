import type { GroupRole } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { emit, emitting, membershipPayloads } from '../../db/outbox.ts';
import type { Db } from '../../db/sql.ts';
import { reconcileEnrollments, usersById } from '../enrollments/enrollment-engine.ts';
import { applyRulesForUsers } from '../rules/rules.engine.ts';

export type MembershipSource = 'manual' | 'api' | 'scim' | 'rule';
export type MembershipChange = { added: GroupRole[]; removed: GroupRole[]; enrolled: number; withdrawn: number };

/**
 * Sets a user's roles in a group (those not made by a rule), in the caller's transaction, then reconciles the
 * user's enrollments: joining as learner enrolls in the group's (and ancestors') ongoing programs, leaving
 * withdraws what nothing else holds and was not started.
 */
export async function setMemberRoles(
  db: Db,
  input: { userId: string; groupId: string; roles: GroupRole[]; source: MembershipSource },
): Promise<MembershipChange> {
  await lockUser(db, input.userId);
  const wanted = [...new Set(input.roles)];
  const removed = await db.$queryRaw<{ role: GroupRole }[]>`
    DELETE FROM memberships
    WHERE user_id = ${input.userId}::uuid AND group_id = ${input.groupId}::uuid AND source <> 'rule'
      AND NOT (role::text = ANY(${wanted}::text[]))
    RETURNING role::text AS role`;
  // A role set by hand takes over a rule-made one (the rule will then never remove it).
  const upserted = wanted.length
    ? await db.$queryRaw<{ role: GroupRole; inserted: boolean }[]>`
        INSERT INTO memberships (user_id, group_id, role, source)
        SELECT ${input.userId}::uuid, ${input.groupId}::uuid, r::"GroupRole", ${input.source}::"MembershipSource"
        FROM unnest(${wanted}::text[]) AS r
        ON CONFLICT (user_id, group_id, role) DO UPDATE SET source = EXCLUDED.source, rule_id = NULL
          WHERE memberships.source = 'rule'
        RETURNING role::text AS role, (xmax = 0) AS inserted`
    : [];
  const added = upserted.filter((r) => r.inserted);
  return finish(db, input.userId, input.groupId, added.map((r) => r.role), removed.map((r) => r.role));
}

/** Adds roles (keeping the others) — what user creation with `groups: [...]` does. */
export async function addMemberships(
  db: Db,
  userId: string,
  entries: { groupId: string; role: GroupRole }[],
  source: MembershipSource,
) {
  await addManyMemberships(db, entries.map((e) => ({ userId, ...e })), source);
}

/**
 * Adds roles to many people at once (an import's batch): the memberships and their events in one statement, then
 * one reconciliation of the new learners' enrollments. Answers the memberships that were added.
 */
export async function addManyMemberships(
  db: Db,
  entries: { userId: string; groupId: string; role: GroupRole }[],
  source: MembershipSource,
) {
  if (!entries.length) return [];
  const userIds = [...new Set(entries.map((e) => e.userId))].sort();
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('membership:' || u)) FROM unnest(${userIds}::text[]) AS u ORDER BY u`;
  const added = await db.$queryRaw<{ user_id: string; group_id: string; role: GroupRole }[]>`
    WITH ins AS (
      INSERT INTO memberships (user_id, group_id, role, source)
      SELECT u, g, r::"GroupRole", ${source}::"MembershipSource"
      FROM unnest(${entries.map((e) => e.userId)}::uuid[], ${entries.map((e) => e.groupId)}::uuid[], ${entries.map((e) => e.role)}::text[]) AS t(u, g, r)
      ON CONFLICT (user_id, group_id, role) DO NOTHING
      RETURNING user_id, group_id, role
    ),
    ev AS (${emitting('group.member.added', membershipPayloads('ins'))})
    SELECT user_id::text, group_id::text, role::text AS role FROM ins`;
  const learners = [...new Set(added.filter((r) => r.role === 'learner').map((r) => r.user_id))];
  if (learners.length) await reconcileEnrollments(db, { users: usersById(learners) });
  return added;
}

/** Removes one role, or every role, of a user in a group; memberships made by a rule follow the rule, not this. */
export async function removeMember(db: Db, input: { userId: string; groupId: string; role?: GroupRole }) {
  await lockUser(db, input.userId);
  const removed = await db.$queryRaw<{ role: GroupRole }[]>`
    DELETE FROM memberships
    WHERE user_id = ${input.userId}::uuid AND group_id = ${input.groupId}::uuid
      AND source <> 'rule' ${input.role ? Prisma.sql`AND role = ${input.role}::"GroupRole"` : Prisma.empty}
    RETURNING role::text AS role`;
  const change = await finish(db, input.userId, input.groupId, [], removed.map((r) => r.role));
  // Still matching a rule of the group? The rule takes the membership back.
  if (change.removed.includes('learner')) await applyRulesForUsers(db, [input.userId]);
  return change;
}

/**
 * One membership change per user at a time (a transaction-scoped advisory lock): two concurrent changes of the same
 * user's roles would otherwise take row locks in opposite orders (delete, insert, reconcile) and deadlock.
 */
async function lockUser(db: Db, userId: string) {
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`membership:${userId}`}))`;
}

async function finish(db: Db, userId: string, groupId: string, added: GroupRole[], removed: GroupRole[]) {
  for (const role of added) await emit(db, 'group.member.added', { groupId, userId, role });
  for (const role of removed) await emit(db, 'group.member.removed', { groupId, userId, role });
  let result = { enrolled: 0, withdrawn: 0 };
  if (added.includes('learner') || removed.includes('learner')) {
    result = await reconcileEnrollments(db, { users: usersById([userId]) });
  }
  return { added, removed, ...result };
}
