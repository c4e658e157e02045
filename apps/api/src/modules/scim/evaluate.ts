import { ScimError } from './scim-error.ts';
import type { AttrPath, CompareOp, Filter, Literal } from './filter.ts';

const invalid = (detail: string) => new ScimError(400, detail, 'invalidFilter');

/** In-memory evaluation of filters over SCIM JSON: PATCH value filters such as members[value eq "..."]. */

type Json = Record<string, unknown>;

/** Case-insensitive property lookup: SCIM attribute names are case-insensitive. */
export function keyOf(object: Json, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(object).find((k) => k.toLowerCase() === lower);
}

export function getAttr(object: Json, name: string): unknown {
  const key = keyOf(object, name);
  return key === undefined ? undefined : object[key];
}

/** Attributes compared exactly (RFC 7643 caseExact: true); everything else compares case-insensitively. */
const caseExact = new Set(['id', 'externalid', 'value', '$ref']);

function rawAt(resource: Json, path: AttrPath): unknown {
  const base = path.uri && keyOf(resource, path.uri) ? (getAttr(resource, path.uri) as Json) : resource;
  return getAttr(base ?? {}, path.attr);
}

function valuesAt(resource: Json, path: AttrPath): unknown[] {
  const top = rawAt(resource, path);
  const list = Array.isArray(top) ? top : top === undefined ? [] : [top];
  // A multi-valued complex attribute compared without a sub-attribute compares its `value`.
  const sub = path.sub ?? (Array.isArray(top) ? 'value' : undefined);
  if (!sub) return list;
  return list.flatMap((item) => (item && typeof item === 'object' ? [getAttr(item as Json, sub)] : []));
}

function compare(op: CompareOp, actual: unknown, expected: Literal, exact: boolean): boolean {
  if (actual === undefined || actual === null)
    return op === 'ne' ? expected !== null : op === 'eq' && expected === null;
  if (typeof actual === 'string' && typeof expected === 'string') {
    const a = exact ? actual : actual.toLowerCase();
    const b = exact ? expected : expected.toLowerCase();
    switch (op) {
      case 'eq':
        return a === b;
      case 'ne':
        return a !== b;
      case 'co':
        return a.includes(b);
      case 'sw':
        return a.startsWith(b);
      case 'ew':
        return a.endsWith(b);
      case 'gt':
        return a > b;
      case 'ge':
        return a >= b;
      case 'lt':
        return a < b;
      case 'le':
        return a <= b;
    }
  }
  if (typeof actual === 'boolean' || typeof expected === 'boolean') {
    if (op === 'eq') return actual === expected;
    if (op === 'ne') return actual !== expected;
    throw invalid(`"${op}" does not apply to booleans.`);
  }
  if (typeof actual === 'number' && typeof expected === 'number') {
    switch (op) {
      case 'eq':
        return actual === expected;
      case 'ne':
        return actual !== expected;
      case 'gt':
        return actual > expected;
      case 'ge':
        return actual >= expected;
      case 'lt':
        return actual < expected;
      case 'le':
        return actual <= expected;
      default:
        throw invalid(`"${op}" does not apply to numbers.`);
    }
  }
  return op === 'ne';
}

export function matches(resource: Json, filter: Filter): boolean {
  switch (filter.op) {
    case 'and':
      return matches(resource, filter.left) && matches(resource, filter.right);
    case 'or':
      return matches(resource, filter.left) || matches(resource, filter.right);
    case 'not':
      return !matches(resource, filter.filter);
    case 'pr':
      return valuesAt(resource, filter.path).some(
        (v) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length),
      );
    case 'has': {
      const top = rawAt(resource, filter.path);
      const list = Array.isArray(top) ? top : top === undefined ? [] : [top];
      return list.some((item) => item !== null && typeof item === 'object' && matches(item as Json, filter.filter));
    }
    default: {
      const exact = caseExact.has((filter.path.sub ?? filter.path.attr).toLowerCase());
      const values = valuesAt(resource, filter.path);
      if (filter.op === 'ne')
        return values.length === 0 ? filter.value !== null : values.every((v) => compare('ne', v, filter.value, exact));
      if (values.length === 0) return compare(filter.op, undefined, filter.value, exact);
      return values.some((v) => compare(filter.op, v, filter.value, exact));
    }
  }
}
