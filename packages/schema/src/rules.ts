import { z } from 'zod';
import { count, idSchema, MAX_REQUEST_TEXT, timestamp, userSummarySchema } from './common.ts';

/** Profile fields a membership rule may test; `attributes.<key>` reads a custom attribute. */
export const ruleProfileAttributes = ['department', 'country', 'title', 'managerId', 'email'] as const;
export const ruleOperators = ['eq', 'ne', 'in', 'not_in', 'starts_with', 'exists'] as const;
export type RuleOperator = (typeof ruleOperators)[number];

const customAttribute = z
  .string()
  .max(75)
  .regex(/^attributes\.[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/, 'a profile field or attributes.<key>');
export const ruleAttributeSchema = z
  .union([z.enum(ruleProfileAttributes), customAttribute])
  .describe('`department`, `country`, `title`, `managerId`, `email` or `attributes.<key>`');

const ruleValue = z.string().trim().min(1).max(500);
const listOperators: RuleOperator[] = ['in', 'not_in'];

export const ruleConditionSchema = z
  .object({
    attribute: ruleAttributeSchema,
    op: z.enum(ruleOperators),
    value: z.union([ruleValue, z.array(ruleValue).min(1).max(500)]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const list = listOperators.includes(c.op);
    if (c.op === 'exists') {
      if (c.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: '`exists` takes no value' });
    } else if (list && !Array.isArray(c.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `\`${c.op}\` takes a list of strings` });
    } else if (!list && typeof c.value !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `\`${c.op}\` takes one string` });
    }
  })
  .describe('Compares one attribute (case-insensitively); a missing attribute is the empty string');
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

export type RuleExpression = RuleCondition | { all: RuleExpression[] } | { any: RuleExpression[] };

const MAX_DEPTH = 5;
/** An expression in words is shorter than its JSON, which came in one request body (twice that, to be safe). */
const MAX_EXPLANATION = 2 * MAX_REQUEST_TEXT;
const MAX_CONDITIONS = 100;

function measure(e: RuleExpression, depth = 1): { depth: number; conditions: number } {
  const children = 'all' in e ? e.all : 'any' in e ? e.any : null;
  if (!children) return { depth, conditions: 1 };
  return children.map((c) => measure(c, depth + 1)).reduce(
    (acc, m) => ({ depth: Math.max(acc.depth, m.depth), conditions: acc.conditions + m.conditions }),
    { depth, conditions: 0 },
  );
}

const node: z.ZodType<RuleExpression> = z
  .lazy(() =>
    z.union([
      ruleConditionSchema,
      z.object({ all: z.array(node).min(1).max(50) }).strict(),
      z.object({ any: z.array(node).min(1).max(50) }).strict(),
    ]),
  )
  .meta({ id: 'RuleExpressionNode' });

/** `{ all: [...] }`, `{ any: [...] }` or one condition, nestable (at most 5 levels and 100 conditions). */
export const ruleExpressionSchema = node
  .superRefine((e, ctx) => {
    const size = measure(e);
    if (size.depth > MAX_DEPTH) ctx.addIssue({ code: 'custom', message: `nested more than ${MAX_DEPTH} levels` });
    if (size.conditions > MAX_CONDITIONS) ctx.addIssue({ code: 'custom', message: `more than ${MAX_CONDITIONS} conditions` });
  })
  .describe('e.g. `{ "all": [{ "attribute": "department", "op": "eq", "value": "Sales" }, { "attribute": "country", "op": "in", "value": ["FR", "BE"] }] }`');

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

export const createRuleBodySchema = z
  .object({ name: z.string().trim().min(1).max(200).nullable().optional(), expression: ruleExpressionSchema })
  .strict();
export type CreateRuleBody = z.input<typeof createRuleBodySchema>;

export const patchRuleBodySchema = z
  .object({ name: z.string().trim().min(1).max(200).nullable(), expression: ruleExpressionSchema })
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

export const ruleMemberSchema = z
  .object({
    user: userSummarySchema,
    ruleId: idSchema,
    explanation: z.string().max(MAX_EXPLANATION),
    since: timestamp(),
  })
  .meta({ id: 'GroupRuleMember' });
export type GroupRuleMember = z.infer<typeof ruleMemberSchema>;
