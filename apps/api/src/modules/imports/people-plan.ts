import type { GroupRole, ImportOutcome, WorkspaceRole } from '@covey/schema';
import type { Db } from '../../db/sql.ts';
import type { Principal } from '../../lib/principal.ts';
import { isUuid } from '../../lib/refs.ts';
import { mayGrantRole, mayManageRank } from '../../policy/index.ts';
import type { CsvRow } from './people-csv.ts';

/** A person of the directory a row may name. */
type Person = {
  id: string;
  email: string;
  external_id: string | null;
  first_name: string;
  last_name: string;
  role: WorkspaceRole;
  erased: boolean;
};
type GroupRow = { id: string; parent_id: string | null; name: string; external_id: string | null };

/** What the directory holds for a set of rows: read in three statements, whatever the number of rows. */
export type Facts = {
  byEmail: Map<string, Person>;
  byExternalId: Map<string, Person>;
  /** Group references (lower-cased paths, `ext:`, ids) to their ids; several ids when a path is ambiguous. */
  groups: (ref: string) => string[];
  groupLabel: (id: string) => string;
  /** `userId groupId role` of existing memberships. */
  memberships: Set<string>;
};

/** What a row does, as the dry run tells it and as applying does it. */
export type Planned = {
  index: number;
  outcome: ImportOutcome;
  code: string | null;
  message: string | null;
  changes: string[];
  userId: string | null;
  /** For created and updated rows: the values to write (null = keep). */
  write?: {
    email: string | null;
    externalId: string | null;
    firstName: string | null;
    lastName: string | null;
    role: WorkspaceRole | null;
    memberships: { groupId: string; role: GroupRole }[];
  };
};

const pathKey = (path: string) =>
  path
    .split('/')
    .map((s) => s.trim().normalize('NFC').toLowerCase())
    .join('/');
const memberKey = (userId: string, groupId: string, role: string) => `${userId} ${groupId} ${role}`;

export async function loadFacts(db: Db, rows: CsvRow[]): Promise<Facts> {
  const emails = [...new Set(rows.flatMap((r) => (r.email ? [r.email] : [])))];
  const externalIds = [...new Set(rows.flatMap((r) => (r.externalId ? [r.externalId] : [])))];
  const people = await db.$queryRaw<Person[]>`
    SELECT id::text, email, external_id, first_name, last_name, role::text AS role, erased_at IS NOT NULL AS erased
    FROM users WHERE email = ANY(${emails}::text[]) OR external_id = ANY(${externalIds}::text[])`;
  const groupRows = await db.$queryRaw<GroupRow[]>`SELECT id::text, parent_id::text, name, external_id FROM groups`;
  const memberships = people.length
    ? await db.$queryRaw<{ user_id: string; group_id: string; role: string }[]>`
        SELECT user_id::text, group_id::text, role::text FROM memberships WHERE user_id = ANY(${people.map((p) => p.id)}::uuid[])`
    : [];

  // Paths from the root, built once in memory: names are compared the way people type them (case, spaces).
  const byId = new Map(groupRows.map((g) => [g.id, g]));
  const pathOf = new Map<string, string>();
  const path = (g: GroupRow): string => {
    const known = pathOf.get(g.id);
    if (known !== undefined) return known;
    const parent = g.parent_id ? byId.get(g.parent_id) : undefined;
    const p = parent ? `${path(parent)}/${g.name}` : g.name;
    pathOf.set(g.id, p);
    return p;
  };
  const byPath = new Map<string, string[]>();
  const byExt = new Map<string, string>();
  for (const g of groupRows) {
    const key = pathKey(path(g));
    byPath.set(key, [...(byPath.get(key) ?? []), g.id]);
    if (g.external_id) byExt.set(g.external_id, g.id);
  }
  return {
    byEmail: new Map(people.map((p) => [p.email, p])),
    byExternalId: new Map(people.flatMap((p) => (p.external_id ? [[p.external_id, p] as const] : []))),
    groups: (ref) => {
      if (ref.startsWith('ext:')) return byExt.has(ref.slice(4)) ? [byExt.get(ref.slice(4))!] : [];
      if (isUuid(ref) && byId.has(ref.toLowerCase())) return [ref.toLowerCase()];
      return byPath.get(pathKey(ref)) ?? [];
    },
    groupLabel: (id) => (byId.has(id) ? path(byId.get(id)!) : id),
    memberships: new Set(memberships.map((m) => memberKey(m.user_id, m.group_id, m.role))),
  };
}

const refused = (row: CsvRow, code: string, message: string, userId: string | null = null): Planned => ({
  index: row.index,
  outcome: 'refused',
  code,
  message,
  changes: [],
  userId,
});

/**
 * What each row does against the directory, decided by the caller's rank through the policy door: nobody changes
 * an account of equal or higher rank (admins manage trainers and learners), nor grants a role above their own.
 */
export function planRows(principal: Principal, rows: CsvRow[], facts: Facts): Planned[] {
  return rows.map((row) => {
    if (row.refusal) return refused(row, row.refusal.code, row.refusal.message);
    const byExt = row.externalId ? facts.byExternalId.get(row.externalId) : undefined;
    const byEmail = row.email ? facts.byEmail.get(row.email) : undefined;
    if (byExt && byEmail && byExt.id !== byEmail.id)
      return refused(row, 'email_taken', `${row.email} belongs to another person than the external id ${row.externalId}.`);
    const person = byExt ?? byEmail;
    if (person && row.externalId && person.external_id && person.external_id !== row.externalId)
      return refused(row, 'external_id_conflict', `${row.email} belongs to a person whose external id is ${person.external_id}.`);
    if (person?.erased) return refused(row, 'erased', 'This person was erased.');

    const memberships: { groupId: string; role: GroupRole }[] = [];
    for (const g of row.groups) {
      const ids = facts.groups(g.ref);
      if (ids.length === 0) return refused(row, 'unknown_group', `No group is named “${g.ref}”.`);
      if (ids.length > 1) return refused(row, 'ambiguous_group', `Several groups are named “${g.ref}”: use ext:<externalId> or the id.`);
      if (!memberships.some((m) => m.groupId === ids[0] && m.role === g.role)) memberships.push({ groupId: ids[0]!, role: g.role });
    }

    if (!person) {
      if (!row.email) return refused(row, 'missing_identity', `No person has the external id ${row.externalId}; an e-mail is needed to create one.`);
      if (!row.firstName || !row.lastName) return refused(row, 'missing_name', 'A first and a last name are needed to create a person.');
      const role = row.role ?? 'learner';
      if (!mayGrantRole(principal, role)) return refused(row, 'rank', `You cannot grant the ${role} role.`);
      return {
        index: row.index,
        outcome: 'created',
        code: null,
        message: null,
        changes: [],
        userId: null,
        write: { email: row.email, externalId: row.externalId, firstName: row.firstName, lastName: row.lastName, role, memberships },
      };
    }

    const changes: string[] = [];
    const differs = <T>(field: string, value: T | null, current: T | null) => {
      const changed = value !== null && value !== current;
      if (changed) changes.push(field);
      return changed ? value : null;
    };
    const write = {
      email: differs('email', row.email, person.email),
      externalId: differs('externalId', row.externalId, person.external_id),
      firstName: differs('firstName', row.firstName, person.first_name),
      lastName: differs('lastName', row.lastName, person.last_name),
      role: differs('role', row.role, person.role),
      memberships: memberships.filter((m) => !facts.memberships.has(memberKey(person.id, m.groupId, m.role))),
    };
    changes.push(...write.memberships.map((m) => `+${facts.groupLabel(m.groupId)}${m.role === 'learner' ? '' : `:${m.role}`}`));
    const unchanged: Planned = { index: row.index, outcome: 'unchanged', code: null, message: null, changes: [], userId: person.id };
    if (changes.length === 0) return unchanged;
    if (!mayManageRank(principal, person.role))
      return refused(row, 'rank', `You cannot change an account of the ${person.role} rank.`, person.id);
    if (write.role && person.role === 'owner') return refused(row, 'rank', 'An owner’s role is not changed by an import.', person.id);
    if (write.role && !mayGrantRole(principal, write.role)) return refused(row, 'rank', `You cannot grant the ${write.role} role.`, person.id);
    return { index: row.index, outcome: 'updated', code: null, message: null, changes, userId: person.id, write };
  });
}
