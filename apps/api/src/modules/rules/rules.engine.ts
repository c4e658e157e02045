import { ruleExpressionSchema, type RuleExpression, type UserSummary } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { emitting, membershipPayloads } from '../../db/outbox.ts';
import type { Db } from '../../db/sql.ts';
import { reconcileEnrollments, usersById } from '../enrollments/enrollment-engine.ts';
import { compile } from './expression.ts';
import { toUserSummary, type UserSummaryRow } from '../../db/user-summary.ts';

/**
 * Membership rules, set-based. A user matching a rule of a group is a learner of it (source 'rule', rule_id);
 * a rule-made membership ends when its user matches no rule of the group any more. Memberships set by hand,
 * the API or SCIM are never touched: the insert skips (user, group, learner) rows that exist, whatever their
 * source, and the delete only sees source = 'rule'. Every apply is three statements plus the enrollment
 * reconcile of the users whose memberships changed, whatever the number of users.
 */
export type RuleInput = { id: string | null; groupId: string; expression: RuleExpression };
export type ApplyResult = { added: number; removed: number; enrolled: number; withdrawn: number };

/** Rules in creation order (the first matching rule is the one a membership names). */
async function loadRules(db: Db, groupId?: string): Promise<RuleInput[]> {
  const rows = await db.$queryRaw<{ id: string; group_id: string; expression: unknown }[]>`
    SELECT id::text, group_id::text, expression FROM group_rules
    ${groupId ? Prisma.sql`WHERE group_id = ${groupId}::uuid` : Prisma.empty}
    ORDER BY created_at, id`;
  return rows.flatMap((r) => {
    // Expressions are validated when written; one that no longer parses matches nobody rather than failing all.
    const parsed = ruleExpressionSchema.safeParse(r.expression);
    return parsed.success ? [{ id: r.id, groupId: r.group_id, expression: parsed.data }] : [];
  });
}

/** CTEs `matches(rule_id, group_id, user_id, rank)` and `desired` (one rule per user and group). */
function matching(rules: RuleInput[], users: Prisma.Sql): Prisma.Sql {
  const branches = [
    Prisma.sql`SELECT NULL::uuid AS rule_id, NULL::uuid AS group_id, NULL::uuid AS user_id, 0 AS rank WHERE false`,
    ...rules.map(
      (r, i) => Prisma.sql`
        SELECT ${r.id}::uuid, ${r.groupId}::uuid, u.id, ${i + 1}::int FROM users u
        WHERE ${users} AND ${compile(r.expression)}`,
    ),
  ];
  return Prisma.sql`
    matches AS (${Prisma.join(branches, ' UNION ALL ')}),
    desired AS (
      SELECT DISTINCT ON (user_id, group_id) user_id, group_id, rule_id FROM matches ORDER BY user_id, group_id, rank
    )`;
}

async function apply(db: Db, rules: RuleInput[], users: Prisma.Sql, memberships: Prisma.Sql): Promise<ApplyResult> {
  const cte = matching(rules, users);
  // 1. A membership whose rule stopped matching but another rule of the group matches moves to that rule.
  await db.$executeRaw`
    WITH ${cte}
    UPDATE memberships m SET rule_id = d.rule_id
    FROM desired d
    WHERE m.source = 'rule' AND ${memberships}
      AND d.user_id = m.user_id AND d.group_id = m.group_id AND m.rule_id IS DISTINCT FROM d.rule_id
      AND NOT EXISTS (SELECT 1 FROM matches x WHERE x.user_id = m.user_id AND x.rule_id = m.rule_id)`;

  // 2. Rule-made memberships whose user matches no rule of the group end, with their events.
  const removed = await db.$queryRaw<{ id: string }[]>`
    WITH ${cte},
    removed AS (
      DELETE FROM memberships m
      WHERE m.source = 'rule' AND ${memberships}
        AND NOT EXISTS (SELECT 1 FROM matches x WHERE x.user_id = m.user_id AND x.group_id = m.group_id)
      RETURNING m.user_id, m.group_id, m.role, m.rule_id
    ),
    events AS (${emitting('group.member.removed', membershipPayloads('removed', { byRule: true }))})
    SELECT DISTINCT user_id::text AS id FROM removed`;

  // 3. Active matching users become learners, unless they already are (a manual learner stays manual).
  const added = await db.$queryRaw<{ id: string }[]>`
    WITH ${cte},
    added AS (
      INSERT INTO memberships (user_id, group_id, role, source, rule_id)
      SELECT d.user_id, d.group_id, 'learner'::"GroupRole", 'rule'::"MembershipSource", d.rule_id
      FROM desired d JOIN users au ON au.id = d.user_id AND au.status = 'active'
      -- A stable order takes row locks in the same order as concurrent applies.
      ORDER BY d.user_id, d.group_id
      ON CONFLICT (user_id, group_id, role) DO NOTHING
      RETURNING user_id, group_id, role, rule_id
    ),
    events AS (${emitting('group.member.added', membershipPayloads('added', { byRule: true }))})
    SELECT DISTINCT user_id::text AS id FROM added`;

  const touched = [...new Set([...removed, ...added].map((r) => r.id))];
  const enrollments = touched.length
    ? await reconcileEnrollments(db, { users: usersById(touched) })
    : { enrolled: 0, withdrawn: 0 };
  return { added: added.length, removed: removed.length, ...enrollments };
}

/** Re-evaluates every rule for these users (their profile changed): call it in the transaction of the change. */
export async function applyRulesForUsers(db: Db, userIds: string[]): Promise<ApplyResult> {
  const ids = [...new Set(userIds)];
  if (!ids.length) return { added: 0, removed: 0, enrolled: 0, withdrawn: 0 };
  const rules = await loadRules(db);
  return apply(db, rules, Prisma.sql`u.id = ANY(${ids}::uuid[])`, Prisma.sql`m.user_id = ANY(${ids}::uuid[])`);
}

/** Re-evaluates a group's rules over every user (a rule was added, changed or deleted). */
export async function applyRulesOfGroup(db: Db, groupId: string): Promise<ApplyResult> {
  const rules = await loadRules(db, groupId);
  return apply(db, rules, Prisma.sql`true`, Prisma.sql`m.group_id = ${groupId}::uuid`);
}

/** Re-evaluates the group of one rule (the group's other rules take part: a user may match several). */
export async function applyRule(db: Db, ruleId: string): Promise<ApplyResult> {
  const [rule] = await db.$queryRaw<{ group_id: string }[]>`SELECT group_id::text FROM group_rules WHERE id = ${ruleId}::uuid`;
  return rule ? applyRulesOfGroup(db, rule.group_id) : { added: 0, removed: 0, enrolled: 0, withdrawn: 0 };
}

export type RuleDiff = { joins: UserSummary[]; leaves: UserSummary[]; joinCount: number; leaveCount: number };

type UserRow = UserSummaryRow & { total: number };

/**
 * Who would join and who would leave the group if `replace` (a rule id, or null for a new rule) held
 * `expression`, the group's other rules unchanged. Reads only.
 */
export async function previewRuleChange(
  db: Db,
  groupId: string,
  change: { replace: string | null; expression: RuleExpression | null },
  limit = 1000,
): Promise<RuleDiff> {
  const rules = (await loadRules(db, groupId)).filter((r) => r.id !== change.replace);
  if (change.expression) rules.push({ id: change.replace, groupId, expression: change.expression });
  const cte = matching(rules, Prisma.sql`true`);
  const joins = await db.$queryRaw<UserRow[]>`
    WITH ${cte}
    SELECT u.id::text, u.email, u.first_name, u.last_name, count(*) OVER ()::int AS total
    FROM users u
    WHERE u.status = 'active' AND u.id IN (SELECT user_id FROM matches)
      AND NOT EXISTS (
        SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.group_id = ${groupId}::uuid AND m.role = 'learner'
      )
    ORDER BY u.last_name, u.first_name, u.id
    LIMIT ${limit}`;
  const leaves = await db.$queryRaw<UserRow[]>`
    WITH ${cte}
    SELECT u.id::text, u.email, u.first_name, u.last_name, count(*) OVER ()::int AS total
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.group_id = ${groupId}::uuid AND m.source = 'rule'
      AND m.user_id NOT IN (SELECT user_id FROM matches WHERE user_id IS NOT NULL)
    ORDER BY u.last_name, u.first_name, u.id
    LIMIT ${limit}`;
  return {
    joins: joins.map(toUserSummary),
    leaves: leaves.map(toUserSummary),
    joinCount: joins[0]?.total ?? 0,
    leaveCount: leaves[0]?.total ?? 0,
  };
}
