import type { Deps } from '../../lib/deps.ts';
import type { z } from 'zod';
import type {
  createRuleBodySchema,
  GroupRule,
  GroupRuleDiff,
  patchRuleBodySchema,
  previewRuleBodySchema,
  RuleExpression,
} from '@covey/schema';
import { ruleExpressionSchema } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { audit } from '../../lib/audit.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import type { Db } from '../../db/sql.ts';
import { authorize, requireGroup } from '../../policy/index.ts';
import { describe } from './expression.ts';
import { applyRulesOfGroup, previewRuleChange, type RuleDiff } from './rules.engine.ts';
import { toUserSummary, type UserSummaryRow } from '../../db/user-summary.ts';

type CreateBody = z.output<typeof createRuleBodySchema>;
type PatchBody = z.output<typeof patchRuleBodySchema>;
type PreviewBody = z.output<typeof previewRuleBodySchema>;

type RuleRow = {
  id: string;
  group_id: string;
  name: string | null;
  expression: unknown;
  member_count: number;
  created_at: Date;
  updated_at: Date;
};

/** Applying a rule may touch thousands of memberships and enrollments: more than Prisma's 5 s default. */
const long = { timeout: 120_000, maxWait: 10_000 };

function parseStored(value: unknown): RuleExpression {
  const parsed = ruleExpressionSchema.safeParse(value);
  if (!parsed.success) throw new AppError('unprocessable', 'This rule’s stored expression is no longer valid; replace it.');
  return parsed.data;
}

const explain = (name: string | null, expression: RuleExpression) =>
  `Learner because ${describe(expression)}${name ? ` (rule “${name}”)` : ''}.`;

function toRule(row: RuleRow): GroupRule {
  const expression = parseStored(row.expression);
  return {
    id: row.id,
    ruleId: row.id,
    groupId: row.group_id,
    name: row.name,
    expression,
    explanation: explain(row.name, expression),
    memberCount: row.member_count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const asDiff = (diff: RuleDiff): GroupRuleDiff => ({ dryRun: true, ...diff });

export function rulesService(deps: Deps<'db'>) {
  const prisma = deps.db.prisma;

  async function rows(db: Db, groupId: string, ruleId?: string) {
    return db.$queryRaw<RuleRow[]>`
      SELECT r.id::text, r.group_id::text, r.name, r.expression, r.created_at, r.updated_at,
        (SELECT count(*)::int FROM memberships m WHERE m.rule_id = r.id) AS member_count
      FROM group_rules r
      WHERE r.group_id = ${groupId}::uuid ${ruleId ? Prisma.sql`AND r.id = ${ruleId}::uuid` : Prisma.empty}
      ORDER BY r.created_at, r.id`;
  }

  async function one(db: Db, groupId: string, ruleId: string) {
    const [row] = await rows(db, groupId, ruleId);
    if (!row) throw notFound('not_found', 'The rule');
    return row;
  }

  /** Rules read every profile's attributes: a workspace admin's tool (the group must exist for them: 404 first). */
  const manageable = async (principal: Principal, groupRef: string) => {
    const { id } = await requireGroup(prisma, principal, groupRef, 'see');
    authorize(principal, 'membershipRules');
    return id;
  };

  return {
    async list(principal: Principal, groupRef: string) {
      const groupId = await manageable(principal, groupRef);
      return { items: (await rows(prisma, groupId)).map(toRule), nextCursor: null };
    },

    async get(principal: Principal, groupRef: string, ruleId: string) {
      const groupId = await manageable(principal, groupRef);
      return toRule(await one(prisma, groupId, ruleId));
    },

    async preview(principal: Principal, groupRef: string, body: PreviewBody) {
      const groupId = await manageable(principal, groupRef);
      if (body.ruleId) await one(prisma, groupId, body.ruleId);
      return asDiff(await previewRuleChange(prisma, groupId, { replace: body.ruleId ?? null, expression: body.expression }));
    },

    async create(principal: Principal, groupRef: string, body: CreateBody, dryRun: boolean) {
      const groupId = await manageable(principal, groupRef);
      if (dryRun) return asDiff(await previewRuleChange(prisma, groupId, { replace: null, expression: body.expression }));
      return prisma.$transaction(async (tx) => {
        const [created] = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO group_rules (group_id, name, expression, updated_at)
          VALUES (${groupId}::uuid, ${body.name ?? null}, ${JSON.stringify(body.expression)}::jsonb, now())
          RETURNING id::text`;
        const ruleId = created!.id;
        const applied = await applyRulesOfGroup(tx, groupId);
        await audit(tx, principal, 'group.rule.create', { type: 'group', id: groupId }, { ruleId, ...applied });
        return toRule(await one(tx, groupId, ruleId));
      }, long);
    },

    async update(principal: Principal, groupRef: string, ruleId: string, body: PatchBody, dryRun: boolean) {
      const groupId = await manageable(principal, groupRef);
      const current = await one(prisma, groupId, ruleId);
      if (dryRun) {
        const expression = body.expression ?? parseStored(current.expression);
        return asDiff(await previewRuleChange(prisma, groupId, { replace: ruleId, expression }));
      }
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`
          UPDATE group_rules SET updated_at = now()
            ${body.name !== undefined ? Prisma.sql`, name = ${body.name}` : Prisma.empty}
            ${body.expression ? Prisma.sql`, expression = ${JSON.stringify(body.expression)}::jsonb` : Prisma.empty}
          WHERE id = ${ruleId}::uuid`;
        const applied = body.expression ? await applyRulesOfGroup(tx, groupId) : null;
        await audit(tx, principal, 'group.rule.update', { type: 'group', id: groupId }, {
          ruleId,
          fields: Object.keys(body),
          ...applied,
        });
        return toRule(await one(tx, groupId, ruleId));
      }, long);
    },

    /** Deleting a rule ends the memberships it made, unless another rule of the group still matches them. */
    async remove(principal: Principal, groupRef: string, ruleId: string) {
      const groupId = await manageable(principal, groupRef);
      await one(prisma, groupId, ruleId);
      await prisma.$transaction(async (tx) => {
        // The memberships' rule_id becomes NULL (ON DELETE SET NULL): the apply re-attributes or removes them.
        await tx.$executeRaw`DELETE FROM group_rules WHERE id = ${ruleId}::uuid`;
        const applied = await applyRulesOfGroup(tx, groupId);
        await audit(tx, principal, 'group.rule.delete', { type: 'group', id: groupId }, { ruleId, ...applied });
      }, long);
    },

    /** The learners this rule put in the group, each with why. */
    async members(principal: Principal, groupRef: string, ruleId: string, query: { limit: number; cursor?: string }) {
      const groupId = await manageable(principal, groupRef);
      const rule = toRule(await one(prisma, groupId, ruleId));
      const after = decodeCursor(query.cursor, ['text']);
      const found = await prisma.$queryRaw<
        (UserSummaryRow & { created_at: Date })[]
      >`
        SELECT u.id::text, u.email, u.first_name, u.last_name, m.created_at
        FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.rule_id = ${ruleId}::uuid AND m.group_id = ${groupId}::uuid AND m.source = 'rule'
          ${after ? Prisma.sql`AND u.email > ${String(after[0])}` : Prisma.empty}
        ORDER BY u.email
        LIMIT ${query.limit + 1}`;
      const page = toPage(found, query.limit, (r) => [r.email]);
      return {
        items: page.items.map((r) => ({
          user: toUserSummary(r),
          ruleId,
          explanation: rule.explanation,
          since: r.created_at.toISOString(),
        })),
        nextCursor: page.nextCursor,
      };
    },
  };
}
