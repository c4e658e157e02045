import { z } from 'zod';
import { count, idSchema, MAX_REQUEST_TEXT, MAX_ROWS, page, text, timestamp, userSummarySchema } from './common.ts';

/** Profile fields a membership rule may test; `attributes.<key>` reads a custom attribute. */
export const ruleProfileAttributes = ['department', 'country', 'title', 'managerId', 'email'] as const;
/** Operators comparing with one value, with a list of values, and with none. */
export const ruleValueOperators = ['eq', 'ne', 'starts_with'] as const;
export const ruleListOperators = ['in', 'not_in'] as const;
export const ruleOperators = ['eq', 'ne', 'in', 'not_in', 'starts_with', 'exists'] as const;
export type RuleOperator = (typeof ruleOperators)[number];

const customAttribute = z
  .string()
  .max(75)
  .regex(/^attributes\.[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/, 'a profile field or attributes.<key>');
export const ruleAttributeSchema = z
  .union([z.enum(ruleProfileAttributes), customAttribute])
  .describe('`department`, `country`, `title`, `managerId`, `email` or `attributes.<key>`');

const ruleValue = text(500);

/** One condition, in one of three forms: one value (`eq`, `ne`, `starts_with`), a list (`in`, `not_in`), none (`exists`). */
export const ruleConditionSchema = z
  .union([
    z.object({ attribute: ruleAttributeSchema, op: z.enum(ruleValueOperators), value: ruleValue }).strict().meta({ title: 'One value' }),
    z
      .object({ attribute: ruleAttributeSchema, op: z.enum(ruleListOperators), value: z.array(ruleValue).min(1).max(500) })
      .strict()
      .meta({ title: 'A list of values' }),
    z.object({ attribute: ruleAttributeSchema, op: z.literal('exists') }).strict().meta({ title: 'Set' }),
  ])
  .describe('Compares one attribute (case-insensitively); a missing attribute is the empty string')
  .meta({ id: 'RuleCondition' });
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

export type RuleExpression = RuleCondition | { all: RuleExpression[] } | { any: RuleExpression[] };

const MAX_DEPTH = 5;
/** An expression in words is shorter than its JSON, which came in one request body (twice that, to be safe). */
const MAX_EXPLANATION = 2 * MAX_REQUEST_TEXT;
const MAX_CONDITIONS = 100;

const conditionCount = (e: RuleExpression): number =>
  'all' in e ? e.all.reduce((n, c) => n + conditionCount(c), 0) : 'any' in e ? e.any.reduce((n, c) => n + conditionCount(c), 0) : 1;

/**
 * The expression at each depth, spelled out (not recursive), so that the document says the depth limit too: at the
 * deepest level only conditions, above it a condition, `all` or `any` of the level below.
 */
let level: z.ZodType<RuleExpression, RuleExpression> = ruleConditionSchema;
for (let depth = MAX_DEPTH - 1; depth >= 1; depth--) {
  level = z
    .union([ruleConditionSchema, z.object({ all: z.array(level).min(1).max(50) }).strict(), z.object({ any: z.array(level).min(1).max(50) }).strict()])
    .meta({ id: depth === 1 ? 'RuleExpressionTop' : `RuleExpressionAtDepth${depth}` });
}

/** `{ all: [...] }`, `{ any: [...] }` or one condition, nestable (at most 5 levels and 100 conditions). */
export const ruleExpressionSchema = level
  .refine((e) => conditionCount(e) <= MAX_CONDITIONS, `more than ${MAX_CONDITIONS} conditions`)
  .describe('e.g. `{ "all": [{ "attribute": "department", "op": "eq", "value": "Sales" }, { "attribute": "country", "op": "in", "value": ["FR", "BE"] }] }`; at most 5 levels and 100 conditions');

export const groupRuleSchema = z
  .object({
    id: idSchema,
    ruleId: idSchema.describe('The same as `id`: what rule-made memberships point at'),
    groupId: idSchema,
    name: z.string().max(200).nullable(),
    expression: ruleExpressionSchema,
    explanation: z.string().max(MAX_EXPLANATION).describe('The rule in words, as rule-made memberships explain themselves'),
    memberCount: count().describe('Learners this rule put in the group'),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .meta({ id: 'GroupRule' });
export type GroupRule = z.infer<typeof groupRuleSchema>;
export const groupRulesPageSchema = page(groupRuleSchema, MAX_ROWS);

export const createRuleBodySchema = z
  .object({ name: text(200).nullable().optional(), expression: ruleExpressionSchema })
  .strict();
export type CreateRuleBody = z.input<typeof createRuleBodySchema>;

export const patchRuleBodySchema = z
  .object({ name: text(200).nullable(), expression: ruleExpressionSchema })
  .partial()
  .strict();
export type PatchRuleBody = z.input<typeof patchRuleBodySchema>;

export const previewRuleBodySchema = z
  .object({
    expression: ruleExpressionSchema,
    ruleId: idSchema.optional().describe('The rule this expression would replace; without it, a rule being added'),
  })
  .strict();

export const ruleDiffSchema = z
  .object({
    dryRun: z.literal(true),
    joins: z.array(userSummarySchema).max(1000).describe('Active users who would become learners (first 1,000)'),
    leaves: z.array(userSummarySchema).max(1000).describe('Users whose rule-made membership would end (first 1,000)'),
    joinCount: count(),
    leaveCount: count(),
  })
  .meta({ id: 'GroupRuleDiff' });
export type GroupRuleDiff = z.infer<typeof ruleDiffSchema>;
/** A changed rule, or (`dryRun`) who would join and leave. */
export const ruleUpdateSchema = z.union([groupRuleSchema, ruleDiffSchema]);

export const ruleMemberSchema = z
  .object({
    user: userSummarySchema,
    ruleId: idSchema,
    explanation: z.string().max(MAX_EXPLANATION),
    since: timestamp(),
  })
  .meta({ id: 'GroupRuleMember' });
export type GroupRuleMember = z.infer<typeof ruleMemberSchema>;
