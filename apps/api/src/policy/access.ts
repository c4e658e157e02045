import type { WorkspaceRole } from '@covey/schema';
import type { Db, Models } from '../db/sql.ts';
import { AppError, forbidden, notFound } from '../lib/errors.ts';
import type { Principal } from '../lib/principal.ts';
import { findUserId, groupIdForAccessCheck, isUuid, userWhere } from '../lib/refs.ts';
import { communityPolicy } from './community-policy.ts';
import { coversUser, groupFacts, programFacts, type GroupFacts, type ProgramFacts } from './facts.ts';
import { policy } from './policy.ts';
import { isStaff } from './predicates.ts';

/**
 * The authorization door: resolve the reference, load the facts, ask the policy, answer 404 when the caller may
 * not see the thing (never revealing that it exists) and 403 when they see it but may not do this. Every route and
 * service goes through here or through a named rule (rules.ts); nothing else reads roles or scopes.
 */
type Handle = Db & Models<'user' | 'group'>;

export type GroupNeed =
  /** The group exists for the caller: its members, whoever covers it, trainers, admins, group-scoped clients. */
  | 'see'
  /** Its community space: members and whoever covers it, workspace admins (people only). */
  | 'space'
  /** Its statistics and follow-up: its observers and group admins (of it or an ancestor), workspace admins. */
  | 'stats'
  /** Its settings, branding, membership and subgroups: group admins of it or an ancestor, admins, groups:write. */
  | 'manage'
  /** Deleting it: admins, groups:write, group admins of a strict ancestor. */
  | 'delete';

export type GroupAccess = { id: string; facts: GroupFacts };

const viewerOf = (p: Principal) => (p.type === 'user' ? p.id : null);

export async function requireGroup(
  db: Handle,
  principal: Principal,
  ref: string,
  need: GroupNeed,
): Promise<GroupAccess> {
  const id = await groupIdForAccessCheck(db, ref);
  const facts = id ? await groupFacts(db, viewerOf(principal), id) : null;
  if (!id || !facts) throw notFound('group_not_found', 'The group');
  checkGroup(principal, facts, need);
  return { id, facts };
}

/**
 * Why the caller may not do this with the group (the error to answer), or null: the one decision, on loaded facts.
 * The error is made only when access is denied: an Error captures its stack, which cost every allowed request of the
 * hot path ~10 µs.
 */
function groupDenial(principal: Principal, facts: GroupFacts, need: GroupNeed): AppError | null {
  const hidden = () => notFound('group_not_found', 'The group');
  if (need === 'space') return communityPolicy.groupSpace(principal, facts) ? null : hidden();
  if (!policy.seeGroup(principal, facts)) return hidden();
  if (need === 'stats' && !policy.seeGroupStats(principal, facts))
    return forbidden('Only the group’s observers and admins see its statistics.');
  if (need === 'manage' && !policy.manageGroup(principal, facts))
    return forbidden('Only admins and group admins can change this group.');
  if (need === 'delete' && !policy.deleteGroup(principal, facts))
    return forbidden('Only admins, and group admins for groups inside their own, can delete groups.');
  return null;
}

/** The same decision on facts already loaded (a hot path reads them with its data in one statement). */
export function checkGroup(principal: Principal, facts: GroupFacts, need: GroupNeed): void {
  const denial = groupDenial(principal, facts, need);
  if (denial) throw denial;
}

/** The same decision as a yes or no (to shape an answer, e.g. whether drafts are listed). */
export const allowsGroup = (principal: Principal, facts: GroupFacts, need: GroupNeed): boolean =>
  groupDenial(principal, facts, need) === null;

/** A parent named in a body: unseen answers 422 (it is a field, not the resource). */
export async function requireParentGroup(db: Handle, principal: Principal, parentId: string): Promise<GroupFacts> {
  const facts = await groupFacts(db, viewerOf(principal), parentId);
  if (!facts.exists || !policy.seeGroup(principal, facts))
    throw new AppError('invalid_reference', 'The parent group does not exist.', [
      { field: 'body.parentId', message: 'unknown group' },
    ]);
  return facts;
}

/** A group named in a query filter: unseen answers 422 like an unknown one (it is a parameter, not the resource). */
export async function requireFilterGroup(db: Handle, principal: Principal, ref: string, field: string): Promise<string> {
  const id = await groupIdForAccessCheck(db, ref);
  const facts = id ? await groupFacts(db, viewerOf(principal), id) : null;
  if (!id || !facts?.exists || !policy.seeGroup(principal, facts))
    throw new AppError('invalid_reference', 'The group does not exist.', [{ field, message: 'unknown group' }]);
  return id;
}

export function requireCreateGroup(principal: Principal, parent: GroupFacts | null): void {
  if (!policy.createGroup(principal, parent))
    throw forbidden('Only admins, and group admins under their groups, can create groups.');
}

export function requireMoveGroup(
  principal: Principal,
  oldParent: GroupFacts | null,
  newParent: GroupFacts | null,
): void {
  if (!policy.moveGroup(principal, oldParent, newParent))
    throw forbidden('Moving a group takes an admin of both its current and its new parent.');
}

export type ProgramNeed =
  /** Its page: managers, the referent, enrolled learners, whoever covers a group it is assigned to. */
  | 'see'
  /** Editing, deleting, assigning anywhere: admins and its trainer (creator or referent). */
  | 'manage'
  /** Every enrollment and the program's statistics: managers and the referent. */
  | 'enrollments'
  /** Its comment thread (people only). */
  | 'thread';

export async function requireProgram(
  db: Db,
  principal: Principal,
  programId: string,
  need: ProgramNeed,
): Promise<ProgramFacts> {
  const facts = isUuid(programId) && principal.type === 'user' ? await programFacts(db, principal.id, programId) : null;
  if (!facts) throw notFound('program_not_found', 'The program');
  if (need === 'thread') {
    if (!communityPolicy.programThread(principal, facts)) throw notFound('program_not_found', 'The program');
    return facts;
  }
  if (!policy.seeProgram(principal, facts)) throw notFound('program_not_found', 'The program');
  if (need === 'manage' && !policy.manageProgram(principal, facts))
    throw forbidden('Only admins and the program’s trainer can change it.');
  if (need === 'enrollments' && !policy.seeAllEnrollments(principal, facts))
    throw forbidden('Only the referent, the trainer and admins see this.');
  return facts;
}

/** Enrollments of a program: all of them, only those of the groups the caller covers, or none (403). */
export async function enrollmentsScope(db: Db, principal: Principal, programId: string): Promise<'all' | 'covered'> {
  const facts = await requireProgram(db, principal, programId, 'see');
  if (policy.seeAllEnrollments(principal, facts)) return 'all';
  if (policy.seeSomeEnrollments(principal, facts)) return 'covered';
  throw forbidden('Only the referent, observers and admins see enrollments.');
}

/**
 * Assigning a program to a group (or removing the assignment): its managers anywhere they see the group; a group
 * admin to the groups they manage, for published programs (any status to unassign). A program the caller may not
 * see answers 404 unless they manage the group (a published program is in a group admin's catalogue).
 */
export async function requireAssignment(
  db: Handle,
  principal: Principal,
  programId: string,
  groupRef: string,
  change: 'assign' | 'unassign',
) {
  const facts = isUuid(programId) ? await programFacts(db, viewerOf(principal), programId) : null;
  if (!facts || principal.type !== 'user') throw notFound('program_not_found', 'The program');
  const group = await requireGroup(db, principal, groupRef, 'see');
  if (policy.manageProgram(principal, facts)) return { facts, groupId: group.id };
  const groupAdmin = group.facts.covering.has('admin');
  const catalogue = groupAdmin && facts.status === 'published';
  if (!policy.seeProgram(principal, facts) && !catalogue) throw notFound('program_not_found', 'The program');
  if (change === 'assign' ? policy.assignToManagedGroup(facts, group.facts) : groupAdmin)
    return { facts, groupId: group.id };
  throw forbidden(
    groupAdmin
      ? 'Group admins assign published programs only.'
      : 'Only admins, the program’s trainer and the group’s admins assign programs.',
  );
}

/** A program's referent is staff: a trainer, an admin or an owner (never a learner). */
export const canBeReferent = (role: WorkspaceRole) => isStaff(role);

export type PersonNeed =
  /** Their profile: admins, user-scoped clients, the person, and whoever covers one of their groups. */
  | 'see'
  /** Their account (profile, e-mail, role, status; deactivation and erasure): by rank, see policy.manageRank. */
  | 'manage';

export type Person = { id: string; role: WorkspaceRole };

export async function requireUser<T extends Person>(
  db: Handle,
  principal: Principal,
  ref: string,
  need: PersonNeed,
  load: (id: string) => Promise<T | null>,
): Promise<T> {
  const id = await findUserId(db, ref);
  const user = id ? await load(id) : null;
  if (!user || !(await seesUser(db, principal, user.id))) throw notFound('user_not_found', 'The user');
  if (need === 'manage') {
    // Someone who may not write people at all learns nothing more (404), as before.
    if (!policy.writeUsers(principal)) throw notFound('user_not_found', 'The user');
    if (!policy.manageRank(principal, user.role))
      throw forbidden(`You cannot change an account of the ${user.role} rank.`);
  }
  return user;
}

async function seesUser(db: Db, principal: Principal, targetId: string) {
  if (policy.readUsers(principal) || (principal.type === 'user' && principal.id === targetId)) return true;
  return principal.type === 'user' && coversUser(db, principal.id, targetId);
}

/** Only the person sets their own password; others send a reset. */
export function requireOwnPassword(principal: Principal, targetId: string): void {
  if (!(principal.type === 'user' && principal.id === targetId))
    throw forbidden('Only the person sets their password; send them a password reset instead.');
}

/** A SCIM token (the identity provider) manages trainers' and learners' accounts, never an admin's or an owner's. */
export const scimManages = (role: WorkspaceRole) => policy.grantRole('scim', role);

export function requireGrantRole(principal: Principal | 'scim', role: WorkspaceRole): void {
  if (!policy.grantRole(principal, role)) throw forbidden(`You cannot grant the ${role} role.`);
}

/** The same decisions as yes or no, for the rows of a people import (a refused row does not stop the others). */
export const mayManageRank = (principal: Principal, role: WorkspaceRole) => policy.manageRank(principal, role);
export const mayGrantRole = (principal: Principal, role: WorkspaceRole) => policy.grantRole(principal, role);

/**
 * The person to add to a group, as the caller may name them: workspace admins and groups:write clients by any
 * reference; a group admin by exact e-mail or external id, or anyone already inside their reach. The owner, admins
 * and deactivated people cannot be pulled in by a group admin. Whoever they may not add answers exactly like a
 * person who does not exist.
 */
export async function requireAddableMember(db: Handle, principal: Principal, ref: string): Promise<string> {
  const where = userWhere(ref);
  const user = where
    ? await db.user.findUnique({ where: where as never, select: { id: true, role: true, status: true } })
    : null;
  if (!user) throw notFound('user_not_found', 'The user');
  if (policy.addAnyone(principal)) return user.id;
  const exact = !('id' in (where as object));
  const reachable =
    exact || (principal.type === 'user' && (principal.id === user.id || (await coversUser(db, principal.id, user.id))));
  if (!reachable || user.status !== 'active' || !policy.canBePulledIn(user.role))
    throw notFound('user_not_found', 'The user');
  return user.id;
}

/** The custom attributes of a profile, for this caller: the person, workspace admins and user-scoped clients. */
export const attributesFor = (principal: Principal, targetId: string, attributes: Record<string, string>) =>
  policy.seeAttributes(principal, targetId) ? attributes : {};
