import { AppError, forbidden, notFound } from '../lib/errors.ts';
import type { Principal, UserPrincipal } from '../lib/principal.ts';
import { findGroupId } from '../lib/refs.ts';
import type { Db, Models } from '../db/sql.ts';
import { ancestorsCte } from '../db/tree.ts';
import { coveredGroupIds, coversUser, groupFacts } from './facts.ts';
import { policy } from './policy.ts';
import { isTrainer, isWorkspaceAdmin } from './predicates.ts';

/**
 * Which rows a caller may read in a list: the policy's answer, for a query to apply. Like the access door, these are
 * the only places that read roles and scopes for listing.
 */

/** The groups a user observes or administers, as SQL (a walk's start): with their subtrees, what the user covers. */
export { administeredGroups, coveringGroups } from './facts.ts';

/** Groups: every group, the ones the person belongs to or covers, or none (a client without a groups scope). */
export const groupListScope = (p: Principal): 'all' | 'visible' | 'none' =>
  policy.seeAllGroups(p) ? 'all' : p.type === 'user' ? 'visible' : 'none';

/**
 * Groups the caller may manage (`GET /groups?manageable=true`): every group (workspace admins, groups:write), the
 * subtrees of the groups a person administers (`administeredGroups`, the same rule as `policy.manageGroup`), or none
 * (other clients).
 */
export const groupManageScope = (p: Principal): 'all' | 'administered' | 'none' =>
  policy.manageAllGroups(p) ? 'all' : p.type === 'user' ? 'administered' : 'none';

/**
 * Programs: admins list all; trainers the ones they created or refer; a group admin the published catalogue (to
 * assign to their groups); anyone else is refused.
 */
export async function programListScope(db: Models<'membership'>, p: Principal): Promise<'all' | 'mine' | 'published'> {
  if (isWorkspaceAdmin(p)) return 'all';
  if (isTrainer(p)) return 'mine';
  if (p.type === 'user' && (await db.membership.count({ where: { userId: p.id, role: 'admin' }, take: 1 })) > 0) return 'published';
  throw forbidden('Only trainers, admins and group admins can list programs.');
}

/**
 * What of another person's groups or enrollments the caller may see: everything (null) for admins, integrations
 * and the person; otherwise (observers, group admins) only what goes through groups the caller covers (their own
 * groups too, for groups; trainers see every group).
 */
export async function personDataScope(db: Db & Models<'membership'>, p: Principal, targetId: string, what: 'groups' | 'enrollments'): Promise<Set<string> | null> {
  if (policy.readUsers(p) || p.type !== 'user' || p.id === targetId) return null;
  if (what === 'groups' && isTrainer(p)) return null;
  const covered = await coveredGroupIds(db, p.id);
  if (what === 'enrollments') return covered;
  const own = await db.membership.findMany({ where: { userId: p.id }, select: { groupId: true } });
  for (const m of own) covered.add(m.groupId);
  return covered;
}

/** A person's document: the person, workspace admins, and whoever covers one of their groups. */
export async function canReadDocumentOf(db: Db, p: Principal, ownerId: string): Promise<boolean> {
  if (p.type !== 'user') return false;
  return ownerId === p.id || isWorkspaceAdmin(p) || coversUser(db, p.id, ownerId);
}

/** A bulk operation: whoever submitted it, and workspace admins. */
export const canReadBulkOperation = (p: Principal, submittedBy: { userId: string | null; clientId: string | null }) =>
  isWorkspaceAdmin(p) || (p.type === 'user' ? submittedBy.userId === p.id : submittedBy.clientId === p.id);

export type FollowUpProgram = { id: string; title: string; referent_id: string | null; starts_at: Date | null; ends_at: Date | null };

/**
 * Follow-up (reminders): observers (over their subtree), the program's referent, or admins remind learners of a
 * group. For a program with a referent, its follow-up is the referent's (and admins'): the referent overrides the
 * group's observers. Members who may not follow up get 403, others 404.
 */
export async function requireFollowUp(
  db: Db & Models<'user' | 'group'>,
  sender: UserPrincipal,
  groupRef: string,
  programId?: string,
): Promise<{ groupId: string; program: FollowUpProgram | null }> {
  const groupId = await findGroupId(db, groupRef);
  const facts = groupId ? await groupFacts(db, sender.id, groupId) : null;
  if (!groupId || !facts?.exists) throw notFound('group_not_found', 'The group');
  const admin = isWorkspaceAdmin(sender);
  const observes = facts.covering.size > 0;
  if (!programId) {
    if (!admin && !observes) {
      if (facts.direct.size) throw forbidden('Only the group’s observers and admins send reminders.');
      throw notFound('group_not_found', 'The group');
    }
    return { groupId, program: null };
  }
  // The program must reach this group: assigned to it or to one of its ancestors.
  const [program] = await db.$queryRaw<FollowUpProgram[]>`
    WITH RECURSIVE ${ancestorsCte(groupId)}
    SELECT p.id::text, p.title, p.referent_id::text, p.starts_at, p.ends_at FROM programs p
    WHERE p.id = ${programId}::uuid AND EXISTS (SELECT 1 FROM program_assignments a JOIN anc ON anc.id = a.group_id WHERE a.program_id = p.id)`;
  const isReferent = program?.referent_id === sender.id;
  if (!admin && !observes && !isReferent) {
    if (facts.direct.size) throw forbidden('Only the group’s observers, the program’s referent and admins send reminders.');
    throw notFound('group_not_found', 'The group');
  }
  if (!program) throw new AppError('invalid_reference', 'This program is not assigned to the group.', [{ field: 'body.programId', message: 'not assigned to this group' }]);
  if (!admin && !isReferent && program.referent_id) throw forbidden('This program has a referent, who is in charge of its follow-up.');
  return { groupId, program };
}
