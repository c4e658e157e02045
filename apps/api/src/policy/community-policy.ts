import type { Principal } from '../lib/principal.ts';
import type { GroupFacts, ProgramFacts } from './facts.ts';
import { policy } from './policy.ts';
import { isWorkspaceAdmin } from './predicates.ts';

/**
 * Community rules (API.md, "Visibility"): the public feed is for every active person; a group's posts for its
 * members (any role), the observers and admins of it or an ancestor, and workspace admins; a program's comments
 * for its enrolled learners, its referent, the observers of its groups, its trainer and workspace admins.
 * Integration clients take no part in the community. Who may read may also write there.
 */
export const communityPolicy = {
  publicFeed: (p: Principal) => p.type === 'user',
  groupSpace: (p: Principal, f: GroupFacts) =>
    p.type === 'user' && f.exists && (isWorkspaceAdmin(p) || f.direct.size > 0 || f.covering.size > 0),
  programThread: (p: Principal, f: ProgramFacts) =>
    p.type === 'user' && (policy.manageProgram(p, f) || f.referentId === p.id || f.enrolled || f.coversAssignedGroup),
  /** Moderation: workspace admins everywhere; group admins (of the group or an ancestor) in a group space. */
  moderate: (p: Principal, scope: 'public' | 'group' | 'program', group: GroupFacts | null) =>
    isWorkspaceAdmin(p) || (scope === 'group' && group !== null && group.covering.has('admin')),
};
