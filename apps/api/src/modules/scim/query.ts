import { isUuid } from '../../lib/refs.ts';
import { matches } from './evaluate.ts';
import type { AttrPath, CompareOp, Filter, Literal } from './filter.ts';
import { ScimError } from './scim-error.ts';
import { MAX_RESULTS, URN } from './schemas.ts';

/**
 * Translates a parsed SCIM filter into a Prisma `where` over one model, through a map from SCIM attribute
 * paths to columns: the database does the filtering and counting, whatever the number of resources.
 */
export type Where = Record<string, unknown>;

export type FieldSpec =
  | { kind: 'string'; field: string; caseExact?: boolean; nullable?: boolean; lowerCased?: boolean }
  | { kind: 'uuid'; field: string; nullable?: boolean }
  | { kind: 'date'; field: string }
  /** An attribute with one value for every resource (`emails.type` is always "work"). */
  | { kind: 'const'; value: Literal }
  | { kind: 'custom'; build: (op: CompareOp | 'pr', value: Literal) => Where }
  /**
   * A multi-valued attribute matched value by value (`emails`): `build` gets a filter over one value, its paths
   * relative to it (`value`, `type`, `primary`), from `emails[type eq "work" and value eq "x"]`, `emails.value eq "x"`
   * or `emails eq "x"` (the `value`).
   */
  | { kind: 'multi'; build: (filter: Filter) => Where };

export const TRUE: Where = {};
/** Matches nothing (an empty OR is not reliably false in Prisma). */
export const FALSE: Where = { id: { in: [] } };
export const not = (where: Where): Where => ({ NOT: where });
/** SCIM's ordering operators as Prisma names them. */
export const ORDER = { gt: 'gt', ge: 'gte', lt: 'lt', le: 'lte' } as const;
const invalid = (detail: string) => new ScimError(400, detail, 'invalidFilter');

/** `name.givenName` -> "name.givenname"; the enterprise extension's attributes are prefixed "enterprise:". */
export function pathKey(path: AttrPath, prefix?: string): string {
  const uri = path.uri?.toLowerCase();
  const scope = uri === URN.enterprise.toLowerCase() ? 'enterprise:' : '';
  if (uri && !scope && uri !== URN.user.toLowerCase() && uri !== URN.group.toLowerCase())
    throw invalid(`Unknown schema "${path.uri}".`);
  const name = [prefix, path.attr, path.sub].filter(Boolean).join('.').toLowerCase();
  return scope + name;
}

export function stringValue(op: string, value: Literal): string {
  if (typeof value !== 'string') throw invalid(`"${op}" on a string attribute needs a quoted value.`);
  return value;
}

export function compareString(
  spec: Extract<FieldSpec, { kind: 'string' }>,
  op: CompareOp | 'pr',
  value: Literal,
): Where {
  const { field } = spec;
  if (op === 'pr')
    return spec.nullable ? { AND: [not({ [field]: null }), not({ [field]: '' })] } : not({ [field]: '' });
  if (value === null) {
    if (op === 'eq') return spec.nullable ? { [field]: null } : FALSE;
    if (op === 'ne') return spec.nullable ? not({ [field]: null }) : TRUE;
    throw invalid(`"${op}" cannot compare with null.`);
  }
  let text = stringValue(op, value);
  if (spec.lowerCased) text = text.toLowerCase();
  const mode = spec.caseExact || spec.lowerCased ? {} : { mode: 'insensitive' };
  const positive = (filter: Where): Where => ({ [field]: { ...filter, ...mode } });
  switch (op) {
    case 'eq':
      return positive({ equals: text });
    case 'ne':
      return spec.nullable
        ? { OR: [{ [field]: null }, not(positive({ equals: text }))] }
        : not(positive({ equals: text }));
    case 'co':
      return positive({ contains: text });
    case 'sw':
      return positive({ startsWith: text });
    case 'ew':
      return positive({ endsWith: text });
    default:
      return { [field]: { [ORDER[op]]: text } };
  }
}

function compareUuid(spec: Extract<FieldSpec, { kind: 'uuid' }>, op: CompareOp | 'pr', value: Literal): Where {
  if (op === 'pr') return spec.nullable ? not({ [spec.field]: null }) : TRUE;
  if (op !== 'eq' && op !== 'ne') throw invalid(`"${op}" does not apply to identifiers.`);
  const hit: Where =
    value === null
      ? { [spec.field]: null }
      : typeof value === 'string' && isUuid(value)
        ? { [spec.field]: value.toLowerCase() }
        : FALSE;
  return op === 'eq' ? hit : not(hit);
}

function compareDate(spec: Extract<FieldSpec, { kind: 'date' }>, op: CompareOp | 'pr', value: Literal): Where {
  if (op === 'pr') return TRUE;
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw invalid('Dates are compared with an ISO 8601 string.');
  if (op === 'eq') return { [spec.field]: date };
  if (op === 'ne') return not({ [spec.field]: date });
  if (op === 'gt' || op === 'ge' || op === 'lt' || op === 'le')
    return { [spec.field]: { [op === 'ge' ? 'gte' : op === 'le' ? 'lte' : op]: date } };
  throw invalid(`"${op}" does not apply to dates.`);
}

/** The operands of a chain of one operator (`a and b and c`), in order: one flat list, not a deep tree. */
function operands(filter: Filter & { op: 'and' | 'or' }): Filter[] {
  const out: Filter[] = [];
  const stack: Filter[] = [filter];
  while (stack.length) {
    const f = stack.pop()!;
    if (f.op === filter.op) stack.push(f.right, f.left);
    else out.push(f);
  }
  return out;
}

export function toWhere(filter: Filter, fields: (key: string) => FieldSpec | undefined, prefix?: string): Where {
  switch (filter.op) {
    case 'and':
      return { AND: operands(filter).map((f) => toWhere(f, fields, prefix)) };
    case 'or':
      return { OR: operands(filter).map((f) => toWhere(f, fields, prefix)) };
    case 'not':
      return not(toWhere(filter.filter, fields, prefix));
    case 'has': {
      if (prefix) throw invalid('Value filters do not nest.');
      const multi = fields(pathKey({ ...filter.path, sub: undefined }));
      if (multi?.kind === 'multi') return multi.build(filter.filter);
      // Every resource has at most one value of each multi-valued attribute (one e-mail, one address):
      // `emails[type eq "work" and value co "x"]` is the inner filter over `emails.*`.
      const scope = pathKey({ ...filter.path, sub: undefined });
      return toWhere(filter.filter, (key) => fields(key), scope);
    }
    default: {
      if (!prefix) {
        const multi = fields(pathKey({ ...filter.path, sub: undefined }));
        if (multi?.kind === 'multi') return multi.build({ ...filter, path: { attr: filter.path.sub ?? 'value' } });
      }
      const value = filter.op === 'pr' ? null : filter.value;
      const key = prefix ? `${prefix}.${pathKey(filter.path)}` : pathKey(filter.path);
      const spec = fields(key) ?? (filter.path.sub ? undefined : fields(`${key}.value`));
      if (!spec) throw invalid(`Filtering on "${key}" is not supported.`);
      switch (spec.kind) {
        case 'string':
          return compareString(spec, filter.op, value);
        case 'uuid':
          return compareUuid(spec, filter.op, value);
        case 'date':
          return compareDate(spec, filter.op, value);
        case 'custom':
          return spec.build(filter.op, value);
        case 'const':
          return matches({ x: spec.value }, { ...filter, path: { attr: 'x' } }) ? TRUE : FALSE;
        case 'multi':
          throw invalid(`"${key}" is compared through its values.`);
      }
    }
  }
}

/** `startIndex` (1-based) and `count` as RFC 7644 section 3.4.2.4 reads them: lenient, clamped. */
export function pageOf(query: Record<string, unknown>) {
  const number = (name: string) => {
    const raw = Object.entries(query).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n)) throw new ScimError(400, `${name} must be an integer.`, 'invalidValue');
    return n;
  };
  const startIndex = Math.max(1, number('startIndex') ?? 1);
  const count = Math.min(MAX_RESULTS, Math.max(0, number('count') ?? 100));
  return { startIndex, count, skip: startIndex - 1 };
}

export function queryParam(query: Record<string, unknown>, name: string): string | undefined {
  const raw = Object.entries(query).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return typeof raw === 'string' ? raw : Array.isArray(raw) ? String(raw[0]) : undefined;
}
