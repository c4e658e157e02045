import type { Deps } from '../../lib/deps.ts';
import type { FastifyRequest } from 'fastify';
import { Prisma, type Group as GroupRow } from '../../generated/prisma/client.ts';
import type { Models, Tx } from '../../db/sql.ts';
import { emit } from '../../db/outbox.ts';
import { isUuid } from '../../lib/refs.ts';
import { learnersOfSubtree, reconcileEnrollments, usersById } from '../enrollments/enrollment-engine.ts';
import { addMemberships, removeMember } from '../groups/membership.service.ts';
import { parseFilter } from './filter.ts';
import { applyPatch, readOperations } from './patch.ts';
import { pageOf, queryParam, toWhere, type Where } from './query.ts';
import { auditScim, checkIfMatch, isExcluded, listResponse, project, type ScimCaller } from './resource.ts';
import { ScimError, scimNotFound } from './scim-error.ts';
import { GROUP_PATCH_SCHEMA } from './schemas.ts';
import { groupFields, readGroup, toScimGroup, type Json, type Member } from './group-mapping.ts';

/**
 * SCIM Groups are Covey groups. A member is a learner of the group: members are added and removed through
 * the membership service (source 'scim'), so the group's ongoing programs follow (auto-enrollment).
 */
type Query = Record<string, unknown>;

function uniqueness(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
    throw new ScimError(409, 'Another group already has this externalId.', 'uniqueness');
  throw error;
}

export function scimGroups(deps: Deps<'db'>) {
  const prisma = deps.db.prisma;

  async function loadMembers(db: Models<'membership'>, groupIds: string[]): Promise<Map<string, Member[]>> {
    const rows = await db.membership.findMany({
      // An erased person is gone for SCIM (their memberships stay, as history).
      where: { groupId: { in: groupIds }, role: 'learner', user: { erasedAt: null } },
      select: { groupId: true, user: { select: { id: true, firstName: true, lastName: true } } },
      orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
    });
    const byGroup = new Map<string, Member[]>(groupIds.map((id) => [id, []]));
    for (const row of rows) byGroup.get(row.groupId)?.push(row.user);
    return byGroup;
  }

  async function lockGroup(tx: Tx, id: string): Promise<GroupRow> {
    if (!isUuid(id)) throw scimNotFound('Group', id);
    await tx.$queryRaw`SELECT id FROM groups WHERE id = ${id}::uuid FOR UPDATE`;
    const group = await tx.group.findUnique({ where: { id } });
    if (!group) throw scimNotFound('Group', id);
    return group;
  }

  /** Makes the group's learners exactly `wanted`; each change goes through the membership service. */
  async function setMembers(tx: Tx, groupId: string, current: string[], wanted: string[]) {
    const have = new Set(current);
    const want = new Set(wanted);
    const added = wanted.filter((id) => !have.has(id));
    const removed = current.filter((id) => !want.has(id));
    if (added.length) {
      const found = await tx.user.findMany({ where: { id: { in: added }, erasedAt: null }, select: { id: true } });
      const known = new Set(found.map((u) => u.id));
      const unknown = added.filter((id) => !known.has(id));
      if (unknown.length) throw new ScimError(400, `Unknown users: ${unknown.join(', ')}.`, 'invalidValue');
    }
    for (const userId of added) await addMemberships(tx, userId, [{ groupId, role: 'learner' }], 'scim');
    for (const userId of removed) await removeMember(tx, { userId, groupId, role: 'learner' });
    return { added: added.length, removed: removed.length };
  }

  /** PUT and PATCH: the desired name, externalId and (when given) members replace the current ones. */
  async function save(
    caller: ScimCaller,
    request: FastifyRequest,
    id: string,
    desired: (current: GroupRow, members: string[]) => ReturnType<typeof readGroup>,
  ) {
    try {
      return await prisma.$transaction(async (tx) => {
        const current = await lockGroup(tx, id);
        checkIfMatch(request, current.version);
        const memberIds = ((await loadMembers(tx, [id])).get(id) ?? []).map((m) => m.id);
        const input = desired(current, memberIds);
        const fields = [
          ...(input.name !== current.name ? ['name'] : []),
          ...(input.externalId !== undefined && input.externalId !== current.externalId ? ['externalId'] : []),
        ];
        const change = input.members ? await setMembers(tx, id, memberIds, input.members) : { added: 0, removed: 0 };
        if (!fields.length && !change.added && !change.removed) return current;
        const group = await tx.group.update({
          where: { id },
          data: { name: input.name, externalId: input.externalId, version: { increment: 1 } },
        });
        if (fields.length) await emit(tx, 'group.updated', { groupId: id, fields });
        await auditScim(
          tx,
          caller,
          'group.update',
          { type: 'group', id },
          { fields, membersAdded: change.added, membersRemoved: change.removed },
        );
        return group;
      });
    } catch (error) {
      return uniqueness(error);
    }
  }

  return {
    loadMembers,
    /** A group's members, as its SCIM resource lists them. */
    membersOf: async (groupId: string) => (await loadMembers(prisma, [groupId])).get(groupId),

    async list(caller: ScimCaller, query: Query) {
      const filterText = queryParam(query, 'filter');
      const where: Where = filterText ? toWhere(parseFilter(filterText), (key) => groupFields[key]) : {};
      const { startIndex, count, skip } = pageOf(query);
      const [total, rows] = await Promise.all([
        prisma.group.count({ where }),
        count
          ? prisma.group.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip, take: count })
          : [],
      ]);
      const members = isExcluded(query, 'members')
        ? null
        : await loadMembers(
            prisma,
            rows.map((g) => g.id),
          );
      return listResponse(
        rows.map((g) => project(toScimGroup(g, members?.get(g.id), caller.base), query)),
        total,
        startIndex,
      );
    },

    async get(id: string) {
      const group = isUuid(id) ? await prisma.group.findUnique({ where: { id } }) : null;
      if (!group) throw scimNotFound('Group', id);
      return group;
    },

    async create(caller: ScimCaller, body: Json) {
      const input = readGroup(body);
      try {
        return await prisma.$transaction(async (tx) => {
          const created = await tx.group.create({ data: { name: input.name, externalId: input.externalId ?? null } });
          await emit(tx, 'group.created', { groupId: created.id, name: created.name, parentId: null });
          await auditScim(tx, caller, 'group.create', { type: 'group', id: created.id });
          if (!input.members?.length) return created;
          await setMembers(tx, created.id, [], input.members);
          return tx.group.findUniqueOrThrow({ where: { id: created.id } });
        });
      } catch (error) {
        return uniqueness(error);
      }
    },

    /** PUT: members replace the current ones when given; a PUT without `members` leaves them as they are. */
    replace: (caller: ScimCaller, request: FastifyRequest, id: string, body: Json) =>
      save(caller, request, id, () => readGroup(body)),

    patch(caller: ScimCaller, request: FastifyRequest, id: string, body: unknown) {
      const operations = readOperations(body);
      return save(caller, request, id, (current, memberIds) => {
        const before = toScimGroup(
          current,
          memberIds.map((m) => ({ id: m, firstName: '', lastName: '' })),
          '',
        );
        const after = applyPatch(before, operations, GROUP_PATCH_SCHEMA);
        const input = readGroup(after);
        if (input.externalId === undefined && current.externalId) input.externalId = null;
        return { ...input, members: input.members ?? [] };
      });
    },

    /** Deletes the Covey group; a group with subgroups is refused (they would be orphaned). */
    async remove(caller: ScimCaller, request: FastifyRequest, id: string) {
      await prisma.$transaction(async (tx) => {
        const group = await lockGroup(tx, id);
        checkIfMatch(request, group.version);
        if ((await tx.group.count({ where: { parentId: id } })) > 0)
          throw new ScimError(409, 'This group has subgroups in Covey: move or delete them first.');
        const learners = await tx.$queryRaw<
          { user_id: string }[]
        >`SELECT DISTINCT user_id::text FROM (${learnersOfSubtree(id)}) AS l`;
        await tx.group.delete({ where: { id } });
        await reconcileEnrollments(tx, { users: usersById(learners.map((l) => l.user_id)) });
        await emit(tx, 'group.deleted', { groupId: id });
        await auditScim(tx, caller, 'group.delete', { type: 'group', id });
      });
    },
  };
}
