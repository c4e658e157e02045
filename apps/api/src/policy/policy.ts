import type { WorkspaceRole } from '@covey/schema';
import type { Principal } from '../lib/principal.ts';
import type { GroupFacts, ProgramFacts } from './facts.ts';
import { hasScope, isOwner, isTrainer, isWorkspaceAdmin, RANK } from './predicates.ts';

/**
 * The rules over facts. Internal to policy/: the access door (access.ts) loads the facts and asks here; a caller who
 * may not see a thing gets 404 from the door, not 403.
 */
export const policy = {
  // People
  readUsers: (p: Principal) => isWorkspaceAdmin(p) || hasScope(p, 'users:read', 'users:write'),
  writeUsers: (p: Principal) => isWorkspaceAdmin(p) || hasScope(p, 'users:write'),
  /** Owner is granted (or an owner changed) only by an owner; admin by an owner; integrations grant neither. */
  grantRole: (p: Principal | 'scim', role: WorkspaceRole) =>
    p === 'scim' ? RANK[role] < RANK.admin : policy.manageRank(p, role),
  /**
   * Authority over an account (its e-mail, role, status, profile; deactivation, erasure) follows rank: an owner
   * manages everyone, an admin the trainers and learners, an integration client with `users:write` (like a SCIM
   * token) the trainers and learners; nobody else manages anyone.
   */
  manageRank: (p: Principal, role: WorkspaceRole) => {
    if (isOwner(p)) return true;
    if (p.type === 'user') return p.role === 'admin' && RANK[role] < RANK.admin;
    return hasScope(p, 'users:write') && RANK[role] < RANK.admin;
  },
  /** Custom attributes of a profile: workspace admins, user-scoped integrations and the person. */
  seeAttributes: (p: Principal, targetId: string) =>
    policy.readUsers(p) || (p.type === 'user' && p.id === targetId),

  // Groups
  seeAllGroups: (p: Principal) => isWorkspaceAdmin(p) || isTrainer(p) || hasScope(p, 'groups:read', 'groups:write'),
  seeGroup: (p: Principal, f: GroupFacts) =>
    f.exists && (policy.seeAllGroups(p) || (p.type === 'user' && (f.direct.size > 0 || f.covering.size > 0))),
  createGroup: (p: Principal, parent: GroupFacts | null) =>
    isWorkspaceAdmin(p) || hasScope(p, 'groups:write') || (parent !== null && parent.covering.has('admin')),
  /** Every group, wherever it is: workspace admins and groups:write. */
  manageAllGroups: (p: Principal) => isWorkspaceAdmin(p) || hasScope(p, 'groups:write'),
  manageGroup: (p: Principal, f: GroupFacts) => policy.manageAllGroups(p) || f.covering.has('admin'),
  /** Moving a group changes who covers it: it takes an admin of both the old and the new place. */
  moveGroup: (p: Principal, oldParent: GroupFacts | null, newParent: GroupFacts | null) =>
    isWorkspaceAdmin(p) ||
    hasScope(p, 'groups:write') ||
    (oldParent !== null && newParent !== null && oldParent.covering.has('admin') && newParent.covering.has('admin')),
  /** Deleting: workspace admins, groups:write, and group admins for a group strictly inside their subtree. */
  deleteGroup: (p: Principal, f: GroupFacts) => isWorkspaceAdmin(p) || hasScope(p, 'groups:write') || f.coveringAbove.has('admin'),
  /** Adding a person the caller cannot see (by exact e-mail or external id): workspace admins and groups:write. */
  addAnyone: (p: Principal) => isWorkspaceAdmin(p) || hasScope(p, 'groups:write'),
  /** Whom a group admin may pull into their group: never the owner or a workspace admin. */
  canBePulledIn: (role: WorkspaceRole) => RANK[role] < RANK.admin,
  /** A group's statistics: its observers and group admins (of it or an ancestor) and workspace admins. */
  seeGroupStats: (p: Principal, f: GroupFacts) => isWorkspaceAdmin(p) || (p.type === 'user' && f.covering.size > 0),
  /** Membership rules read the whole directory's profiles: a workspace admin's tool. */
  membershipRules: (p: Principal) => isWorkspaceAdmin(p),

  // Programs
  createProgram: (p: Principal) => isWorkspaceAdmin(p) || isTrainer(p),
  manageProgram: (p: Principal, f: ProgramFacts) =>
    isWorkspaceAdmin(p) || (isTrainer(p) && p.type === 'user' && (f.createdById === p.id || f.referentId === p.id)),
  seeProgram: (p: Principal, f: ProgramFacts) =>
    policy.manageProgram(p, f) ||
    (p.type === 'user' && (f.referentId === p.id || f.enrolled || f.coversAssignedGroup)),
  /** All enrollments of a program; observers see only the learners of the groups they cover. */
  seeAllEnrollments: (p: Principal, f: ProgramFacts) =>
    policy.manageProgram(p, f) || (p.type === 'user' && f.referentId === p.id),
  seeSomeEnrollments: (p: Principal, f: ProgramFacts) => f.coversAssignedGroup && p.type === 'user',
  /** A group admin assigns published programs to the groups they manage. */
  assignToManagedGroup: (f: ProgramFacts, group: GroupFacts) => f.status === 'published' && group.covering.has('admin'),
};
