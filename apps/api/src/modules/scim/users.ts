import type { FastifyInstance, FastifyRequest } from 'fastify';
import { scimManages } from '../../policy/index.ts';
import { Prisma, type User as UserRow } from '../../generated/prisma/client.ts';
import { emit } from '../../lib/events.ts';
import { isUuid } from '../../lib/refs.ts';
import { reconcileEnrollments, usersById } from '../enrollments/enrollment-engine.ts';
import { parseFilter } from './filter.ts';
import { applyPatch, readOperations } from './patch.ts';
import { FALSE, pageOf, queryParam, toWhere, type FieldSpec, type Where } from './query.ts';
import { auditScim, checkIfMatch, listResponse, project, type ScimCaller } from './resource.ts';
import { ScimError, scimNotFound } from './scim-error.ts';
import { applyMembershipRules } from './rules-hook.ts';
import { URN } from './schemas.ts';
import { ENTERPRISE_KEYS, readUser, toScimUser, workEmail, type UserInput } from './user-mapping.ts';

/**
 * SCIM Users are Covey users: userName is the (lower-cased, unique) e-mail, the enterprise extension feeds the
 * profile attributes that membership rules read, and DELETE or `active: false` deactivates, never deletes.
 */
type Tx = Prisma.TransactionClient;
type Query = Record<string, unknown>;

const userFields: Record<string, FieldSpec> = {
  id: { kind: 'uuid', field: 'id' },
  username: { kind: 'string', field: 'email', lowerCased: true },
  externalid: { kind: 'string', field: 'externalId', caseExact: true, nullable: true },
  'name.givenname': { kind: 'string', field: 'firstName' },
  'name.familyname': { kind: 'string', field: 'lastName' },
  'emails.value': { kind: 'string', field: 'email', lowerCased: true },
  'emails.type': { kind: 'const', value: 'work' },
  'emails.primary': { kind: 'const', value: true },
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
    const what = JSON.stringify(error.meta ?? {}).includes('external') ? 'externalId' : 'userName';
    throw new ScimError(409, `Another user already has this ${what}.`, 'uniqueness');
  }
  throw error;
}

export function scimUsers(app: FastifyInstance) {
  const prisma = app.db.prisma;

  /** The row, locked for the rest of the transaction: PATCH is read-modify-write. */
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
      where: isUuid(ref) ? { OR: [{ id: ref.toLowerCase() }, { externalId: ref }] } : { externalId: ref },
      select: { id: true },
    });
    // An IdP may name a manager it has not provisioned yet: the link waits for the next update.
    return found && found.id !== self ? found.id : null;
  }

  function columns(input: UserInput, managerId: string | null, current?: UserRow) {
    const attributes = { ...((current?.attributes ?? {}) as Record<string, unknown>) };
    for (const key of ENTERPRISE_KEYS) {
      const value = input.enterprise[key];
      if (value === null) delete attributes[key];
      else attributes[key] = value;
    }
    return {
      email: input.email,
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
        return user;
      });
    } catch (error) {
      return uniqueness(error);
    }
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
        const changed = (Object.keys(data) as (keyof typeof data)[]).filter(
          (key) => JSON.stringify(data[key] ?? null) !== JSON.stringify(current[key] ?? null),
        );
        const active = input.active ?? current.status === 'active';
        const statusChanged = active !== (current.status === 'active');
        if (!changed.length && !statusChanged) return current;
        // Authority over an account follows rank: the identity provider does not change admins or owners.
        if (!scimManages(current.role))
          throw new ScimError(403, `The identity provider cannot change an account of the ${current.role} rank.`);
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
      app.forgetPrincipal('user', saved.id);
      return saved;
    } catch (error) {
      return uniqueness(error);
    }
  }

  async function deactivated(tx: Tx, userId: string) {
    await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
    await emit(tx, 'user.deactivated', { userId });
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

    replace: (caller: ScimCaller, request: FastifyRequest, id: string, body: Record<string, unknown>) =>
      save(caller, request, id, () => readUser(body)),

    patch: (caller: ScimCaller, request: FastifyRequest, id: string, body: unknown) => {
      const operations = readOperations(body);
      return save(caller, request, id, (current) => {
        const before = toScimUser(current, caller.base);
        const after = applyPatch(before, operations, [URN.enterprise]);
        // userName is the e-mail: a new work e-mail (Entra's emails[type eq "work"].value) renames the user.
        const email = workEmail(after);
        if (after.userName === before.userName && email && email !== current.email) after.userName = email;
        const input = readUser(after);
        // The document carried the externalId; its absence now means an operation removed it.
        if (input.externalId === undefined && current.externalId) input.externalId = null;
        return input;
      });
    },

    /** DELETE deactivates: history, progress and statistics stay; sign-in is blocked. */
    remove: (caller: ScimCaller, request: FastifyRequest, id: string) =>
      save(caller, request, id, (current) => ({ ...readUser(toScimUser(current, caller.base)), active: false })),
  };
}
