import type { Principal, Scope } from '../lib/principal.ts';
import type { GroupFacts, ProgramFacts } from './facts.ts';

/**
 * The one place that decides permissions. Routes never re-derive a rule; services ask here with facts
 * loaded from the database (facts.ts). A caller who may not see a thing gets 404 from the service, not 403.
 */
export const isWorkspaceAdmin = (p: Principal) => p.type === 'user' && (p.role === 'owner' || p.role === 'admin');
export const isOwner = (p: Principal) => p.type === 'user' && p.role === 'owner';
export const isTrainer = (p: Principal) => p.type === 'user' && p.role === 'trainer';
export const hasScope = (p: Principal, ...scopes: Scope[]) =>
  p.type === 'client' && scopes.some((s) => p.scopes.includes(s));

export const policy = {
  // Users
  readUsers: (p: Principal) => isWorkspaceAdmin(p) || hasScope(p, 'users:read', 'users:write'),
  writeUsers: (p: Principal) => isWorkspaceAdmin(p) || hasScope(p, 'users:write'),
  /** Reading one user: admins, integrations, the user, and observers/group admins of one of the user's groups. */
  async readUser(p: Principal, targetId: string, coversTarget: () => Promise<boolean>): Promise<boolean> {
    if (policy.readUsers(p) || (p.type === 'user' && p.id === targetId)) return true;
    return p.type === 'user' ? coversTarget() : false;
  },
  /** Owner is granted (or an owner changed) only by an owner; admin by an owner or admin; integrations grant neither. */
  grantRole: (p: Principal, role: string) =>
    role === 'owner' ? isOwner(p) : role === 'admin' ? isWorkspaceAdmin(p) : policy.writeUsers(p),

  // Groups
  seeGroup: (p: Principal, f: GroupFacts) =>
    f.exists &&
    (isWorkspaceAdmin(p) ||
      isTrainer(p) ||
      hasScope(p, 'groups:read', 'groups:write') ||
      (p.type === 'user' && (f.direct.size > 0 || f.covering.size > 0))),
  createGroup: (p: Principal, parent: GroupFacts | null) =>
    isWorkspaceAdmin(p) || hasScope(p, 'groups:write') || (parent !== null && parent.covering.has('admin')),
  manageGroup: (p: Principal, f: GroupFacts) => isWorkspaceAdmin(p) || hasScope(p, 'groups:write') || f.covering.has('admin'),
  /** A group's statistics: its observers and group admins (of it or an ancestor) and workspace admins. */
  seeGroupStats: (p: Principal, f: GroupFacts) => isWorkspaceAdmin(p) || (p.type === 'user' && f.covering.size > 0),
  deleteGroup: (p: Principal) => isWorkspaceAdmin(p) || hasScope(p, 'groups:write'),

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
};
