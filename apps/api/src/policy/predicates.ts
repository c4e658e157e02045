import type { WorkspaceRole } from '@covey/schema';
import type { Principal, Scope } from '../lib/principal.ts';

/**
 * The low-level predicates: who a principal is (workspace role, client scopes). Only policy/ reads them; the rest of
 * the code asks the access door (access.ts) or a named rule (rules.ts). A lint rule keeps it so.
 */
export const isWorkspaceAdmin = (p: Principal) => p.type === 'user' && (p.role === 'owner' || p.role === 'admin');
export const isOwner = (p: Principal) => p.type === 'user' && p.role === 'owner';
export const isTrainer = (p: Principal) => p.type === 'user' && p.role === 'trainer';
export const hasScope = (p: Principal, ...scopes: Scope[]) => p.type === 'client' && scopes.some((s) => p.scopes.includes(s));

/** Workspace roles by rank: authority over a person's account needs a strictly higher rank (owners excepted). */
export const RANK: Record<WorkspaceRole, number> = { learner: 0, trainer: 1, admin: 2, owner: 3 };
export const isStaff = (role: WorkspaceRole) => RANK[role] >= RANK.trainer;
