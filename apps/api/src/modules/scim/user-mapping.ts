import type { User as UserRow } from '../../generated/prisma/client.ts';
import { getAttr } from './evaluate.ts';
import { meta } from './resource.ts';
import { ScimError } from './scim-error.ts';
import { URN } from './schemas.ts';

type Json = Record<string, unknown>;

/** Enterprise attributes without a column of their own live in the user's custom attributes. */
export const ENTERPRISE_KEYS = ['employeeNumber', 'costCenter', 'organization', 'division'] as const;

/** The most e-mail addresses a person keeps (filters look at each one). */
export const MAX_EMAILS = 10;

/** One of a person's e-mail addresses as stored in `users.emails`: value and type lower-cased. */
export type EmailEntry = { value: string; type?: string; primary: boolean };

/** What a SCIM User says about a Covey user. `undefined` means "not said" (kept); null clears. */
export type UserInput = {
  /** The sign-in name, lower-cased (SCIM userName is caseExact: false); need not be an e-mail. */
  userName: string;
  emails: EmailEntry[];
  /** Covey's mail address: the primary e-mail, else the work one, else the first. */
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

/** The e-mails stored for a user; a user made before they were stored has its one address, work and primary. */
export function storedEmails(user: Pick<UserRow, 'email' | 'emails'>): EmailEntry[] {
  const list = Array.isArray(user.emails) ? (user.emails as unknown[]).filter(isObject) : [];
  const entries = list.flatMap((e): EmailEntry[] =>
    typeof e.value === 'string'
      ? [{ value: e.value, ...(typeof e.type === 'string' ? { type: e.type } : {}), primary: e.primary === true }]
      : [],
  );
  return entries.length ? entries : [{ value: user.email, type: 'work', primary: true }];
}

/** The SCIM userName of a user: the stored sign-in name, or the e-mail for users made before it was stored. */
export const scimUserName = (user: Pick<UserRow, 'email' | 'userName'>) => user.userName ?? user.email;

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
    userName: scimUserName(user),
    name: { formatted, givenName: user.firstName, familyName: user.lastName },
    displayName: formatted,
    ...(user.title ? { title: user.title } : {}),
    active: user.status === 'active',
    emails: storedEmails(user).map((e) => ({
      value: e.value,
      ...(e.type ? { type: e.type } : {}),
      primary: e.primary,
    })),
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

/** Entra sends booleans as the strings "True"/"False". */
function readBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new ScimError(400, `${name} must be a boolean.`, 'invalidValue');
}

export const readActive = (value: unknown) => readBoolean(value, 'active');

const isWork = (item: Json) => {
  const type = getAttr(item, 'type');
  return typeof type === 'string' && type.toLowerCase() === 'work';
};

/** The work (else primary, else first) entry of a multi-valued attribute. */
function pick(list: unknown): Json | undefined {
  if (!Array.isArray(list)) return isObject(list) ? list : undefined;
  const items = list.filter(isObject);
  return items.find(isWork) ?? items.find((i) => getAttr(i, 'primary') === true) ?? items[0];
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const isEmail = (text: string) => EMAIL.test(text) && text.length <= 320;

/**
 * The `emails` of a SCIM User: each a valid address, lower-cased, typed or not, at most one primary. When
 * several are primary, the one that was not primary before (`previousPrimary`) wins, as RFC 7644 section 3.5.2
 * has a PATCH that sets `primary` unset it on the others.
 */
export function readEmails(value: unknown, previousPrimary?: string): EmailEntry[] {
  if (value === undefined || value === null) return [];
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const entries: EmailEntry[] = [];
  for (const item of items) {
    const raw = isObject(item) ? getAttr(item, 'value') : item;
    if (raw === undefined || raw === null || raw === '') continue;
    if (typeof raw !== 'string' || !isEmail(raw.trim()))
      throw new ScimError(400, `emails: ${JSON.stringify(raw)} is not an e-mail address.`, 'invalidValue');
    const type = isObject(item) ? optionalString(getAttr(item, 'type'), 'emails.type')?.toLowerCase() : undefined;
    const primary = (isObject(item) && readBoolean(getAttr(item, 'primary'), 'emails.primary')) || false;
    const entry: EmailEntry = { value: raw.trim().toLowerCase(), ...(type ? { type } : {}), primary };
    const same = entries.find((e) => e.value === entry.value && e.type === entry.type);
    if (same) same.primary ||= entry.primary;
    else entries.push(entry);
  }
  if (entries.length > MAX_EMAILS)
    throw new ScimError(400, `A user has at most ${MAX_EMAILS} e-mail addresses.`, 'invalidValue');
  const primaries = entries.filter((e) => e.primary);
  if (primaries.length > 1) {
    const fresh = primaries.filter((e) => e.value !== previousPrimary);
    if (previousPrimary === undefined || fresh.length !== 1)
      throw new ScimError(400, 'Only one e-mail address can be primary.', 'invalidValue');
    for (const e of entries) e.primary = e === fresh[0];
  }
  return entries;
}

/** Covey's mail address among a person's e-mails: the primary one, else the work one, else the first. */
export const mailAddress = (emails: EmailEntry[]): string | undefined =>
  (emails.find((e) => e.primary) ?? emails.find((e) => e.type === 'work') ?? emails[0])?.value;

export type ReadOptions = {
  /** PUT: the e-mails kept when the document has none. */
  keepEmails?: EmailEntry[];
  /** PATCH: the primary e-mail before the operations (the new primary wins over it). */
  previousPrimary?: string;
};

export function readUser(body: Json, options: ReadOptions = {}): UserInput {
  const rawUserName = getAttr(body, 'userName');
  if (typeof rawUserName !== 'string' || !rawUserName.trim())
    throw new ScimError(400, 'userName is required.', 'invalidValue');
  const userName = rawUserName.trim().toLowerCase();
  if (userName.length > 320) throw new ScimError(400, 'userName is longer than 320 characters.', 'invalidValue');

  // A person needs an address Covey can write to: the e-mails given, else (PUT) the ones kept, else a userName
  // that is itself an e-mail address.
  let emails = readEmails(getAttr(body, 'emails'), options.previousPrimary);
  if (!emails.length && options.keepEmails?.length) emails = options.keepEmails;
  if (!emails.length && isEmail(userName)) emails = [{ value: userName, type: 'work', primary: true }];
  const email = mailAddress(emails);
  if (!email)
    throw new ScimError(
      400,
      'A user needs an e-mail address: give emails, or a userName that is an e-mail address.',
      'invalidValue',
    );

  const name = getAttr(body, 'name');
  const nameObject = isObject(name) ? name : {};
  const displayName = optionalString(getAttr(body, 'displayName'), 'displayName');
  const [fallbackFirst, ...fallbackLast] = (displayName ?? userName.split('@')[0] ?? '').split(' ');
  const firstName = optionalString(getAttr(nameObject, 'givenName'), 'name.givenName') ?? fallbackFirst ?? '';
  const lastName = optionalString(getAttr(nameObject, 'familyName'), 'name.familyName') ?? fallbackLast.join(' ');

  const externalId = getAttr(body, 'externalId');
  const extension = getAttr(body, URN.enterprise);
  const enterprise = isObject(extension) ? extension : {};
  const manager = getAttr(enterprise, 'manager');
  const managerRef = optionalString(isObject(manager) ? getAttr(manager, 'value') : manager, 'manager.value');

  return {
    userName,
    emails,
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
