import { forbidden } from '../lib/errors.ts';
import type { Principal } from '../lib/principal.ts';
import { policy } from './policy.ts';
import { hasScope, isWorkspaceAdmin } from './predicates.ts';

/**
 * Named rules for what is not a group, a program or a person: one line each, asked by name (`authorize(p, 'webhooks')`).
 * The message is what a refused caller reads.
 */
const RULES = {
  listUsers: [(p) => policy.readUsers(p), 'Only admins and integrations can list users.'],
  createUsers: [(p) => policy.writeUsers(p), 'Only admins and integrations with users:write create people.'],
  importPeople: [(p) => policy.writeUsers(p), 'Only admins and integrations with users:write import people.'],
  createPrograms: [(p) => policy.createProgram(p), 'Only trainers and admins can create programs.'],
  membershipRules: [(p) => policy.membershipRules(p), 'Membership rules over profile attributes are for workspace admins.'],
  auditLog: [isWorkspaceAdmin, 'Only admins read the audit log.'],
  runDigests: [isWorkspaceAdmin, 'Only admins run digests.'],
  mailbox: [isWorkspaceAdmin, 'Only admins read the mailbox.'],
  workspaceSettings: [isWorkspaceAdmin, 'Only admins see and change workspace settings.'],
  shareDocuments: [isWorkspaceAdmin, 'Only admins share documents.'],
  scimTokens: [isWorkspaceAdmin, 'Only workspace admins manage SCIM tokens.'],
  integrationClients: [isWorkspaceAdmin, 'Only admins manage integration clients.'],
  webhooks: [(p) => isWorkspaceAdmin(p) || hasScope(p, 'webhooks'), 'Only admins and integrations with the webhooks scope manage webhooks.'],
  bulk: [(p) => isWorkspaceAdmin(p) || hasScope(p, 'bulk'), 'Only admins and integrations with the bulk scope run bulk operations.'],
  /** Reading any bulk operation, not only one's own. */
  bulkAll: [isWorkspaceAdmin, 'Only admins read others’ bulk operations.'],
} satisfies Record<string, [(p: Principal) => boolean, string]>;

export type Rule = keyof typeof RULES;

export const allows = (principal: Principal, rule: Rule): boolean => RULES[rule][0](principal);

export function authorize(principal: Principal, rule: Rule): void {
  if (!allows(principal, rule)) throw forbidden(RULES[rule][1]);
}
