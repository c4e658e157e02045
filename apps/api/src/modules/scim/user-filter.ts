import { Prisma } from '../../generated/prisma/client.ts';
import { isUuid } from '../../lib/refs.ts';
import type { CompareOp, Filter, Literal } from './filter.ts';
import { FALSE, not, ORDER, stringValue, toWhere, TRUE, compareString, type FieldSpec, type Where } from './query.ts';
import { ScimError } from './scim-error.ts';
import { ENTERPRISE_KEYS, MAX_EMAILS } from './user-mapping.ts';

/** The attributes a Users filter (`GET /scim/v2/Users?filter=`) may name, each as the Prisma condition it becomes. */

const invalidFilter = (detail: string) => new ScimError(400, detail, 'invalidFilter');

/** userName: the stored sign-in name, or the e-mail of a user made before it was stored (`userName` null). */
function userNameWhere(op: CompareOp | 'pr', value: Literal): Where {
  if (op === 'pr') return TRUE;
  if (op === 'ne') return not(userNameWhere('eq', value));
  if (value === null) return FALSE;
  // Both branches are true or false, never NULL, so that `not (...)` and `ne` hold for every row.
  const own = compareString({ kind: 'string', field: 'userName', lowerCased: true }, op, value);
  const legacy = compareString({ kind: 'string', field: 'email', lowerCased: true }, op, value);
  return { OR: [{ AND: [{ userName: { not: null } }, own] }, { AND: [{ userName: null }, legacy] }] };
}

/**
 * A comparison of `emails[i].<sub>` in the JSON column (values and types are stored lower-cased). A path that is
 * not there compares as SQL NULL, which `NOT` keeps NULL: every comparison is ANDed with `IS NOT NULL` so that it is
 * false instead, and `not (emails[...])` holds for users whose e-mails all fail the inner filter.
 */
function emailAt(index: number, sub: 'value' | 'type' | 'primary'): FieldSpec {
  const path = [String(index), sub];
  const present: Where = not({ emails: { path, equals: Prisma.DbNull } });
  const at = (filter: Where): Where => ({ AND: [present, { emails: { path, ...filter } }] });
  return {
    kind: 'custom',
    build: (op, value) => {
      if (sub === 'primary') {
        if (op === 'pr') return present;
        const flag = typeof value === 'string' ? value.toLowerCase() === 'true' : value;
        if (typeof flag !== 'boolean' || (op !== 'eq' && op !== 'ne'))
          throw invalidFilter('emails.primary compares with eq/ne true/false.');
        return at({ equals: (op === 'eq') === flag });
      }
      if (op === 'pr') return present;
      if (value === null) {
        if (op === 'eq') return not(present);
        if (op === 'ne') return present;
        throw invalidFilter(`"${op}" cannot compare with null.`);
      }
      const text = stringValue(op, value).toLowerCase();
      switch (op) {
        case 'eq':
          return at({ equals: text });
        case 'ne':
          return { AND: [present, not(at({ equals: text }))] };
        case 'co':
          return at({ string_contains: text });
        case 'sw':
          return at({ string_starts_with: text });
        case 'ew':
          return at({ string_ends_with: text });
        default:
          return at({ [ORDER[op]]: text });
      }
    },
  };
}

const emailSubs = ['value', 'type', 'primary'] as const;
const emailSub = (key: string) => emailSubs.find((s) => s === key);

/**
 * `emails` filters match value by value: the filter holds for one of the stored e-mails (there are at most
 * MAX_EMAILS), or, for a user made before e-mails were stored, for its one address (work, primary).
 */
function emailsWhere(filter: Filter): Where {
  const legacy: Record<string, FieldSpec> = {
    value: { kind: 'string', field: 'email', lowerCased: true },
    type: { kind: 'const', value: 'work' },
    primary: { kind: 'const', value: true },
  };
  const unknown = (key: string) => invalidFilter(`Filtering on "emails.${key}" is not supported.`);
  const branches: Where[] = [];
  for (let i = 0; i < MAX_EMAILS; i += 1) {
    // One of the e-mails the user has: `emails[i]` exists, and the filter holds for it.
    const exists = not({ emails: { path: [String(i)], equals: Prisma.DbNull } });
    const holds = toWhere(filter, (key) => {
      const sub = emailSub(key);
      if (!sub) throw unknown(key);
      return emailAt(i, sub);
    });
    branches.push({ AND: [exists, holds] });
  }
  branches.push({ AND: [{ emails: { equals: [] } }, toWhere(filter, (key) => legacy[key])] });
  return { OR: branches };
}

export const userFields: Record<string, FieldSpec> = {
  id: { kind: 'uuid', field: 'id' },
  username: { kind: 'custom', build: userNameWhere },
  externalid: { kind: 'string', field: 'externalId', caseExact: true, nullable: true },
  emails: { kind: 'multi', build: emailsWhere },
  'name.givenname': { kind: 'string', field: 'firstName' },
  'name.familyname': { kind: 'string', field: 'lastName' },
  title: { kind: 'string', field: 'title', nullable: true },
  'addresses.country': { kind: 'string', field: 'country', nullable: true },
  'addresses.type': { kind: 'const', value: 'work' },
  'enterprise:department': { kind: 'string', field: 'department', nullable: true },
  'enterprise:manager.value': { kind: 'uuid', field: 'managerId', nullable: true },
  'meta.created': { kind: 'date', field: 'createdAt' },
  'meta.lastmodified': { kind: 'date', field: 'updatedAt' },
  active: {
    kind: 'custom',
    build: (op, value) => {
      if (op === 'pr') return {};
      const flag = typeof value === 'string' ? value.toLowerCase() === 'true' : value;
      if (typeof flag !== 'boolean' || (op !== 'eq' && op !== 'ne'))
        throw new ScimError(400, 'active compares with eq/ne true/false.', 'invalidFilter');
      return { status: (op === 'eq') === flag ? 'active' : 'deactivated' };
    },
  },
  'groups.value': {
    kind: 'custom',
    build: (op, value) => {
      if (op === 'pr') return { memberships: { some: { role: 'learner' } } };
      if (op !== 'eq' && op !== 'ne') throw new ScimError(400, 'groups compares with eq/ne.', 'invalidFilter');
      const where =
        typeof value === 'string' && isUuid(value)
          ? { memberships: { some: { role: 'learner', groupId: value.toLowerCase() } } }
          : FALSE;
      return op === 'eq' ? where : { NOT: where };
    },
  },
};
for (const key of ENTERPRISE_KEYS) {
  userFields[`enterprise:${key.toLowerCase()}`] = {
    kind: 'custom',
    build: (op, value) => {
      if (op !== 'eq' || typeof value !== 'string')
        throw new ScimError(400, `${key} compares with eq only.`, 'invalidFilter');
      return { attributes: { path: [key], equals: value } };
    },
  };
}
