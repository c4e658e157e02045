import type { Group as GroupRow } from '../../generated/prisma/client.ts';
import { isUuid } from '../../lib/refs.ts';
import { getAttr } from './evaluate.ts';
import { FALSE, type FieldSpec, type Where } from './query.ts';
import { meta } from './resource.ts';
import { ScimError } from './scim-error.ts';
import { URN } from './schemas.ts';

/** A SCIM Group as Covey shows it and reads it, and the attributes a Groups filter may name. */

export type Json = Record<string, unknown>;
export type Member = { id: string; firstName: string; lastName: string };

const memberWhere = (op: string, value: unknown): Where => {
  if (op === 'pr') return { memberships: { some: { role: 'learner', user: { erasedAt: null } } } };
  if (op !== 'eq' && op !== 'ne') throw new ScimError(400, 'members compares with eq/ne.', 'invalidFilter');
  const where =
    typeof value === 'string' && isUuid(value)
      ? { memberships: { some: { role: 'learner', userId: value.toLowerCase(), user: { erasedAt: null } } } }
      : FALSE;
  return op === 'eq' ? where : { NOT: where };
};

export const groupFields: Record<string, FieldSpec> = {
  id: { kind: 'uuid', field: 'id' },
  displayname: { kind: 'string', field: 'name' },
  externalid: { kind: 'string', field: 'externalId', caseExact: true, nullable: true },
  'members.value': { kind: 'custom', build: memberWhere },
  'members.type': { kind: 'const', value: 'User' },
  'meta.created': { kind: 'date', field: 'createdAt' },
  'meta.lastmodified': { kind: 'date', field: 'updatedAt' },
};

export function toScimGroup(group: GroupRow, members: Member[] | undefined, base: string): Json {
  return {
    schemas: [URN.group],
    id: group.id,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    displayName: group.name,
    ...(members
      ? {
          members: members.map((m) => ({
            value: m.id,
            display: `${m.firstName} ${m.lastName}`.trim(),
            type: 'User',
            $ref: `${base}/Users/${m.id}`,
          })),
        }
      : {}),
    meta: meta('Group', group, base),
  };
}

/** Member ids named by a SCIM `members` value (`[{ value }]`). */
function readMembers(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return value === null ? [] : undefined;
  if (!Array.isArray(value)) throw new ScimError(400, 'members must be an array.', 'invalidValue');
  return [
    ...new Set(
      value.map((m: unknown) => {
        const id = m && typeof m === 'object' ? getAttr(m as Json, 'value') : m;
        if (typeof id !== 'string' || !isUuid(id))
          throw new ScimError(400, `Member ${JSON.stringify(id)} is not a user id.`, 'invalidValue');
        return id.toLowerCase();
      }),
    ),
  ];
}

export function readGroup(body: Json) {
  const displayName = getAttr(body, 'displayName');
  if (typeof displayName !== 'string' || !displayName.trim())
    throw new ScimError(400, 'displayName is required.', 'invalidValue');
  const externalId = getAttr(body, 'externalId');
  if (externalId !== undefined && externalId !== null && typeof externalId !== 'string')
    throw new ScimError(400, 'externalId must be a string.', 'invalidValue');
  return {
    name: displayName.trim().slice(0, 200),
    externalId: externalId === undefined ? undefined : externalId || null,
    members: readMembers(getAttr(body, 'members')),
  };
}
