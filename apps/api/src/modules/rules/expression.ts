import type { RuleCondition, RuleExpression } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';

const columns: Record<string, Prisma.Sql> = {
  department: Prisma.sql`u.department`,
  country: Prisma.sql`u.country`,
  title: Prisma.sql`u.title`,
  managerId: Prisma.sql`u.manager_id::text`,
  email: Prisma.sql`u.email`,
};

/** The attribute as lower-cased text, a missing one being '' (so `ne` and `not_in` hold for it). */
function operand(attribute: string): Prisma.Sql {
  const column = attribute.startsWith('attributes.')
    ? Prisma.sql`(u.attributes ->> ${attribute.slice('attributes.'.length)}::text)`
    : columns[attribute];
  if (!column) throw new Error(`Unknown rule attribute ${attribute}`);
  return Prisma.sql`lower(coalesce(${column}, ''))`;
}

function condition(c: RuleCondition): Prisma.Sql {
  const left = operand(c.attribute);
  const value = 'value' in c ? c.value : undefined;
  const one = typeof value === 'string' ? value : '';
  const list = Array.isArray(value) ? value : [];
  switch (c.op) {
    case 'eq':
      return Prisma.sql`${left} = lower(${one}::text)`;
    case 'ne':
      return Prisma.sql`${left} <> lower(${one}::text)`;
    case 'in':
      return Prisma.sql`${left} IN (SELECT lower(v) FROM unnest(${list}::text[]) AS v)`;
    case 'not_in':
      return Prisma.sql`${left} NOT IN (SELECT lower(v) FROM unnest(${list}::text[]) AS v)`;
    case 'starts_with':
      return Prisma.sql`starts_with(${left}, lower(${one}::text))`;
    case 'exists':
      return Prisma.sql`${left} <> ''`;
  }
}

/**
 * A parameterized boolean SQL expression over `users u`: values are always bound parameters, never
 * concatenated; string comparisons are case-insensitive.
 */
export function compile(e: RuleExpression): Prisma.Sql {
  if ('all' in e) return Prisma.sql`(${Prisma.join(e.all.map(compile), ' AND ')})`;
  if ('any' in e) return Prisma.sql`(${Prisma.join(e.any.map(compile), ' OR ')})`;
  return Prisma.sql`(${condition(e)})`;
}

const labels: Record<string, string> = {
  department: 'department',
  country: 'country',
  title: 'title',
  managerId: 'manager',
  email: 'e-mail',
};

const quote = (v: string) => `"${v}"`;
const orList = (values: string[]) =>
  values.length < 2 ? values.map(quote).join('') : `${values.slice(0, -1).map(quote).join(', ')} or ${quote(values.at(-1)!)}`;

function phrase(c: RuleCondition): string {
  const what = labels[c.attribute] ?? `${quote(c.attribute.slice('attributes.'.length))} attribute`;
  const values = !('value' in c) ? [] : Array.isArray(c.value) ? c.value : [c.value];
  switch (c.op) {
    case 'eq':
      return `${what} is ${orList(values)}`;
    case 'ne':
      return `${what} is not ${orList(values)}`;
    case 'in':
      return values.length === 1 ? `${what} is ${orList(values)}` : `${what} is one of ${orList(values)}`;
    case 'not_in':
      return values.length === 1 ? `${what} is not ${orList(values)}` : `${what} is none of ${orList(values)}`;
    case 'starts_with':
      return `${what} starts with ${orList(values)}`;
    case 'exists':
      return `${what} is set`;
  }
}

function words(e: RuleExpression, nested: boolean): string {
  const children = 'all' in e ? e.all : 'any' in e ? e.any : null;
  if (!children) return phrase(e as RuleCondition);
  if (children.length === 1) return words(children[0]!, nested);
  const text = children.map((c) => words(c, true)).join('all' in e ? ' and ' : ' or ');
  return nested ? `(${text})` : text;
}

/** The rule in words, e.g. `department is "Sales" and country is one of "FR" or "BE"`. */
export function describe(e: RuleExpression): string {
  return words(e, false);
}
