import type { Deps } from '../../lib/deps.ts';
import type { FastifyRequest } from 'fastify';
import { scimManages } from '../../policy/index.ts';
import { linksService } from '../auth/links.service.ts';
import { erasedProfile } from '../users/user-view.ts';
import { Prisma, type User as UserRow } from '../../generated/prisma/client.ts';
import type { Tx } from '../../db/sql.ts';
import { emit } from '../../db/outbox.ts';
import { isUuid } from '../../lib/refs.ts';
import { reconcileEnrollments, usersById } from '../enrollments/enrollment-engine.ts';
import { parseFilter, type CompareOp, type Filter, type Literal } from './filter.ts';
import { applyPatch, readOperations } from './patch.ts';
import {
  FALSE,
  not,
  ORDER,
  pageOf,
  queryParam,
  stringValue,
  toWhere,
  TRUE,
  compareString,
  type FieldSpec,
  type Where,
} from './query.ts';
import { auditScim, checkIfMatch, listResponse, project, type ScimCaller } from './resource.ts';
import { ScimError, scimNotFound } from './scim-error.ts';
import { applyMembershipRules } from './rules-hook.ts';
import { USER_PATCH_SCHEMA } from './schemas.ts';
import {
  ENTERPRISE_KEYS,
  MAX_EMAILS,
  readUser,
  scimUserName,
  storedEmails,
  toScimUser,
  type UserInput,
} from './user-mapping.ts';

/**
 * SCIM Users are Covey users. userName is the sign-in name the directory knows (lower-cased, unique, not
 * necessarily an e-mail); `emails` are all the person's addresses, the primary one being Covey's mail address
 * (`users.email`). The enterprise extension feeds the profile attributes that membership rules read.
 * `active: false` deactivates; DELETE erases the person as Covey's erase does (pseudonymized, history kept),
 * after which the resource is gone for SCIM (404) and its userName and e-mail are free again.
 */
type Query = Record<string, unknown>;

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

const userFields: Record<string, FieldSpec> = {
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

function uniqueness(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    const target = JSON.stringify(error.meta ?? {});
    const what = target.includes('external')
      ? 'externalId'
      : /user_?name/i.test(target)
        ? 'userName'
        : target.includes('email')
          ? 'e-mail address'
          : 'userName or e-mail address';
    throw new ScimError(409, `Another user already has this ${what}.`, 'uniqueness');
  }
  throw error;
}

/** JSON with object keys sorted: jsonb does not keep key order, so stored and desired values compare by this. */
const canonical = (value: unknown): string =>
  JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

export function scimUsers(deps: Deps<'db' | 'env' | 'boss' | 'jwt' | 'touchActivity' | 'forgetPrincipal'>) {
  const prisma = deps.db.prisma;
  const links = linksService(deps);

  /** The row, locked for the rest of the transaction: PATCH is read-modify-write. Erased users are gone. */
  async function lockUser(tx: Tx, id: string): Promise<UserRow> {
    if (!isUuid(id)) throw scimNotFound('User', id);
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${id}::uuid FOR UPDATE`;
    const user = await tx.user.findUnique({ where: { id } });
    if (!user || user.erasedAt) throw scimNotFound('User', id);
    return user;
  }

  async function resolveManager(tx: Tx, ref: string | null, self?: string): Promise<string | null> {
    if (!ref) return null;
    const found = await tx.user.findFirst({
      where: {
        erasedAt: null,
        ...(isUuid(ref) ? { OR: [{ id: ref.toLowerCase() }, { externalId: ref }] } : { externalId: ref }),
      },
      select: { id: true },
    });
    // An IdP may name a manager it has not provisioned yet: the link waits for the next update.
    return found && found.id !== self ? found.id : null;
  }

  /**
   * A userName is unique among SCIM users, and a user made before userNames were stored goes by its e-mail: the
   * unique index sees the first kind of clash, this the second. An erased person's userName is free (an erase
   * that left it behind gives it up here).
   */
  async function claimUserName(tx: Tx, userName: string, self?: string) {
    await tx.user.updateMany({ where: { userName, erasedAt: { not: null } }, data: { userName: null } });
    const taken = await tx.user.findFirst({
      where: { userName: null, email: userName, erasedAt: null, ...(self ? { id: { not: self } } : {}) },
      select: { id: true },
    });
    if (taken) throw new ScimError(409, 'Another user already has this userName.', 'uniqueness');
  }

  function columns(input: UserInput, managerId: string | null, current?: UserRow) {
    const attributes = { ...((current?.attributes ?? {}) as Record<string, unknown>) };
    for (const key of ENTERPRISE_KEYS) {
      const value = input.enterprise[key];
      if (value === null) delete attributes[key];
      else attributes[key] = value;
    }
    return {
      userName: input.userName,
      email: input.email,
      emails: input.emails as Prisma.InputJsonValue,
      firstName: input.firstName,
      lastName: input.lastName,
      ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
      title: input.title,
      country: input.country,
      department: input.department,
      managerId,
      attributes: attributes as Prisma.InputJsonValue,
    };
  }

  async function create(caller: ScimCaller, body: Record<string, unknown>): Promise<UserRow> {
    const input = readUser(body);
    try {
      return await prisma.$transaction(async (tx) => {
        await claimUserName(tx, input.userName);
        const active = input.active ?? true;
        const user = await tx.user.create({
          data: {
            ...columns(input, await resolveManager(tx, input.managerRef)),
            role: 'learner',
            status: active ? 'active' : 'deactivated',
            deactivatedAt: active ? null : new Date(),
          },
        });
        await emit(tx, 'user.created', { userId: user.id, email: user.email, externalId: user.externalId });
        await applyMembershipRules(tx, [user.id]);
        await auditScim(tx, caller, 'user.create', { type: 'user', id: user.id });
        // Provisioned people are invited to choose a password, unless they sign in only through single sign-on.
        if (active && !user.passwordHash && deps.env.COVEY_SSO_ONLY !== '1') await links.issue(tx, user, 'invite', null);
        return user;
      });
    } catch (error) {
      return uniqueness(error);
    }
  }

  /** Authority over an account follows rank: the identity provider does not change admins or owners. */
  function assertManages(user: UserRow) {
    if (!scimManages(user.role))
      throw new ScimError(403, `The identity provider cannot change an account of the ${user.role} rank.`);
  }

  /** PUT and PATCH both end here: the desired state replaces the user's SCIM-managed fields. */
  async function save(
    caller: ScimCaller,
    request: FastifyRequest,
    id: string,
    desired: (current: UserRow) => UserInput,
  ) {
    try {
      const saved = await prisma.$transaction(async (tx) => {
        const current = await lockUser(tx, id);
        checkIfMatch(request, current.version);
        const input = desired(current);
        const data = columns(input, await resolveManager(tx, input.managerRef, current.id), current);
        // A user made before userNames and e-mails were stored has them as SCIM shows them (its e-mail).
        const was: Record<keyof typeof data, unknown> = {
          ...current,
          userName: scimUserName(current),
          emails: storedEmails(current),
        };
        const changed = (Object.keys(data) as (keyof typeof data)[]).filter(
          (key) => canonical(data[key]) !== canonical(was[key]),
        );
        const active = input.active ?? current.status === 'active';
        const statusChanged = active !== (current.status === 'active');
        if (!changed.length && !statusChanged) return current;
        assertManages(current);
        if (changed.includes('userName')) await claimUserName(tx, input.userName, current.id);
        if (statusChanged && !active && current.role === 'owner') {
          const others = await tx.user.count({ where: { role: 'owner', status: 'active', id: { not: current.id } } });
          if (others === 0)
            throw new ScimError(400, 'The last active owner of the workspace cannot be deactivated.', 'mutability');
        }
        const user = await tx.user.update({
          where: { id: current.id },
          data: {
            ...data,
            ...(statusChanged
              ? { status: active ? 'active' : 'deactivated', deactivatedAt: active ? null : new Date() }
              : {}),
            version: { increment: 1 },
          },
        });
        if (changed.length) await emit(tx, 'user.updated', { userId: user.id, fields: changed });
        if (statusChanged && !active) await deactivated(tx, user.id);
        if (statusChanged && active) await reconcileEnrollments(tx, { users: usersById([user.id]) });
        const profile = ['title', 'country', 'department', 'managerId', 'attributes'] as const;
        // Rules read the profile and only make active users members: both kinds of change re-evaluate them.
        if (statusChanged || changed.some((key) => (profile as readonly string[]).includes(key)))
          await applyMembershipRules(tx, [user.id]);
        await auditScim(
          tx,
          caller,
          statusChanged && !active ? 'user.deactivate' : 'user.update',
          { type: 'user', id: user.id },
          {
            fields: statusChanged ? [...changed, 'status'] : changed,
          },
        );
        return user;
      });
      deps.forgetPrincipal('user', saved.id);
      return saved;
    } catch (error) {
      return uniqueness(error);
    }
  }

  async function deactivated(tx: Tx, userId: string) {
    await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
    await emit(tx, 'user.deactivated', { userId });
  }

  /**
   * DELETE (RFC 7644 section 3.6: the resource is then gone) erases the person as Covey's erase does: deactivated,
   * signed out, pseudonymized (e-mail `erased-<id>@erased.invalid`, no names, userName, externalId, e-mails or
   * profile), rules re-applied. Progress, posts and statistics stay, under a name that is no one's.
   */
  async function erase(caller: ScimCaller, request: FastifyRequest, id: string) {
    const userId = await prisma.$transaction(async (tx) => {
      const current = await lockUser(tx, id);
      checkIfMatch(request, current.version);
      assertManages(current);
      const now = new Date();
      await tx.user.update({
        where: { id: current.id },
        data: {
          status: 'deactivated',
          deactivatedAt: current.deactivatedAt ?? now,
          ...erasedProfile(current.id, now),
          version: { increment: 1 },
        },
      });
      await tx.refreshToken.updateMany({ where: { userId: current.id, revokedAt: null }, data: { revokedAt: now } });
      // An invitation or a password reset sent to the person must not open the erased account.
      await tx.userToken.updateMany({
        where: { userId: current.id, usedAt: null, revokedAt: null },
        data: { revokedAt: now },
      });
      if (current.status === 'active') await emit(tx, 'user.deactivated', { userId: current.id });
      // Erased attributes no longer match any rule.
      await applyMembershipRules(tx, [current.id]);
      await auditScim(tx, caller, 'user.erase', { type: 'user', id: current.id });
      return current.id;
    });
    deps.forgetPrincipal('user', userId);
  }

  return {
    async list(caller: ScimCaller, query: Query) {
      const filterText = queryParam(query, 'filter');
      const filter: Where = filterText ? toWhere(parseFilter(filterText), (key) => userFields[key]) : {};
      const where = { AND: [filter, { erasedAt: null }] };
      const { startIndex, count, skip } = pageOf(query);
      const [total, rows] = await Promise.all([
        prisma.user.count({ where }),
        count ? prisma.user.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip, take: count }) : [],
      ]);
      return listResponse(
        rows.map((u) => project(toScimUser(u, caller.base), query)),
        total,
        startIndex,
      );
    },

    async get(caller: ScimCaller, id: string) {
      const user = isUuid(id) ? await prisma.user.findUnique({ where: { id } }) : null;
      if (!user || user.erasedAt) throw scimNotFound('User', id);
      return user;
    },

    create,

    /** PUT: a document without e-mails keeps the user's (Covey needs an address to write to). */
    replace: (caller: ScimCaller, request: FastifyRequest, id: string, body: Record<string, unknown>) =>
      save(caller, request, id, (current) => readUser(body, { keepEmails: storedEmails(current) })),

    patch: (caller: ScimCaller, request: FastifyRequest, id: string, body: unknown) => {
      const operations = readOperations(body);
      return save(caller, request, id, (current) => {
        const before = toScimUser(current, caller.base);
        // An e-mail change is just that: userName changes only when an operation changes userName.
        const after = applyPatch(before, operations, USER_PATCH_SCHEMA);
        const input = readUser(after, { previousPrimary: current.email });
        // The document carried the externalId; its absence now means an operation removed it.
        if (input.externalId === undefined && current.externalId) input.externalId = null;
        return input;
      });
    },

    remove: erase,
  };
}
