import type { Db } from '../../db/sql.ts';
import { applyRulesForUsers } from '../rules/rules.engine.ts';

/**
 * The one place SCIM re-evaluates membership rules after a user's profile attributes changed (create or
 * update), inside the same transaction so that rule-made memberships and enrollments follow at once.
 */
export async function applyMembershipRules(db: Db, userIds: string[]): Promise<void> {
  await applyRulesForUsers(db, userIds);
}
