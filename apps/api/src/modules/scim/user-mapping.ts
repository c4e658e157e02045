import type { User as UserRow } from '../../generated/prisma/client.ts';
import { getAttr } from './evaluate.ts';
import { meta } from './resource.ts';
import { ScimError } from './scim-error.ts';
import { URN } from './schemas.ts';

type Json = Record<string, unknown>;

/** Enterprise attributes without a column of their own live in the user's custom attributes. */
export const ENTERPRISE_KEYS = ['employeeNumber', 'costCenter', 'organization', 'division'] as const;

/** What a SCIM User says about a Covey user. `undefined` means "not said" (kept); null clears. */
export type UserInput = {
  email: string;
  firstName: string;
  lastName: string;
  externalId: string | null | undefined;
  active: boolean | undefined;
  title: string | null;
  country: string | null;
  department: string | null;
  /** The manager's SCIM id (or externalId), resolved by the caller. */
  managerRef: string | null;
  enterprise: Record<(typeof ENTERPRISE_KEYS)[number], string | null>;
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function toScimUser(user: UserRow, base: string): Json {
  const attributes = (user.attributes ?? {}) as Record<string, unknown>;
  const enterprise: Json = {};
  if (user.department) enterprise.department = user.department;
  for (const key of ENTERPRISE_KEYS) if (typeof attributes[key] === 'string') enterprise[key] = attributes[key];
  if (user.managerId) enterprise.manager = { value: user.managerId, $ref: `${base}/Users/${user.managerId}` };
  const formatted = `${user.firstName} ${user.lastName}`.trim();
  return {
    schemas: [URN.user, URN.enterprise],
    id: user.id,
    ...(user.externalId ? { externalId: user.externalId } : {}),
    userName: user.email,
    name: { formatted, givenName: user.firstName, familyName: user.lastName },
    displayName: formatted,
    ...(user.title ? { title: user.title } : {}),
    active: user.status === 'active',
    emails: [{ value: user.email, type: 'work', primary: true }],
    ...(user.country ? { addresses: [{ type: 'work', country: user.country, primary: true }] } : {}),
    [URN.enterprise]: enterprise,
    meta: meta('User', user, base),
  };
}

const optionalString = (value: unknown, name: string): string | null => {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number') return String(value);
  throw new ScimError(400, `${name} must be a string.`, 'invalidValue');
};

/** Entra sends `active` as the string "True"/"False". */
export function readActive(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new ScimError(400, 'active must be a boolean.', 'invalidValue');
}

/** The work (else primary, else first) entry of a multi-valued attribute. */
function pick(list: unknown): Json | undefined {
  if (!Array.isArray(list)) return isObject(list) ? list : undefined;
  const items = list.filter(isObject);
  return (
    items.find((i) => {
      const type = getAttr(i, 'type');
      return typeof type === 'string' && type.toLowerCase() === 'work';
    }) ??
    items.find((i) => getAttr(i, 'primary') === true) ??
    items[0]
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function readUser(body: Json): UserInput {
  const userName = getAttr(body, 'userName');
  if (typeof userName !== 'string' || !userName.trim())
    throw new ScimError(400, 'userName is required.', 'invalidValue');
  const email = userName.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 320)
    throw new ScimError(400, 'userName must be an e-mail address.', 'invalidValue');

  const name = getAttr(body, 'name');
  const nameObject = isObject(name) ? name : {};
  const displayName = optionalString(getAttr(body, 'displayName'), 'displayName');
  const [fallbackFirst, ...fallbackLast] = (displayName ?? email.split('@')[0] ?? '').split(' ');
  const firstName = optionalString(getAttr(nameObject, 'givenName'), 'name.givenName') ?? fallbackFirst ?? '';
  const lastName = optionalString(getAttr(nameObject, 'familyName'), 'name.familyName') ?? fallbackLast.join(' ');

  const externalId = getAttr(body, 'externalId');
  const extension = getAttr(body, URN.enterprise);
  const enterprise = isObject(extension) ? extension : {};
  const manager = getAttr(enterprise, 'manager');
  const managerRef = optionalString(isObject(manager) ? getAttr(manager, 'value') : manager, 'manager.value');

  return {
    email,
    firstName: firstName.slice(0, 200),
    lastName: lastName.slice(0, 200),
    externalId: externalId === undefined ? undefined : optionalString(externalId, 'externalId'),
    active: readActive(getAttr(body, 'active')),
    title: optionalString(getAttr(body, 'title'), 'title'),
    country: optionalString(getAttr(pick(getAttr(body, 'addresses')) ?? {}, 'country'), 'addresses.country'),
    department: optionalString(getAttr(enterprise, 'department'), 'department'),
    managerRef,
    enterprise: Object.fromEntries(
      ENTERPRISE_KEYS.map((key) => [key, optionalString(getAttr(enterprise, key), key)]),
    ) as UserInput['enterprise'],
  };
}

/** The work e-mail of a SCIM User document, if any (PATCH of `emails[type eq "work"].value`). */
export const workEmail = (body: Json): string | undefined => {
  const value = getAttr(pick(getAttr(body, 'emails')) ?? {}, 'value');
  return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
};
