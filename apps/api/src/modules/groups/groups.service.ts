import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type {
  createGroupBodySchema,
  GroupRole,
  listGroupsQuerySchema,
  listMembersQuerySchema,
  patchGroupBodySchema,
} from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { audit } from '../../lib/audit.ts';
import { AppError, forbidden, notFound } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import { groupIdForAccessCheck, requireUserId } from '../../lib/refs.ts';
import { sha256 } from '../../lib/tokens.ts';
import { groupFacts, type GroupFacts } from '../../policy/facts.ts';
import { isTrainer, isWorkspaceAdmin, hasScope, policy } from '../../policy/policy.ts';
import { learnersOfSubtree, reconcileEnrollments, usersById } from '../enrollments/enrollment-engine.ts';
import { processImage, type ImageKind } from '../files/images.ts';
import { toGroup } from './group-view.ts';
import { isInSubtree, membersPageSql, selectGroups, type MemberRow } from './groups.repository.ts';
import { removeMember, setMemberRoles } from './membership.service.ts';

type CreateBody = z.output<typeof createGroupBodySchema>;
type PatchBody = z.output<typeof patchGroupBodySchema>;

function externalIdConflict(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
    throw new AppError('external_id_taken', 'Another group already has this externalId.', [
      { field: 'body.externalId', message: 'is already used' },
    ]);
  throw error;
}

export function groupsService(app: FastifyInstance) {
  const prisma = app.db.prisma;
  const userId = (p: Principal) => (p.type === 'user' ? p.id : null);
  const seesAll = (p: Principal) => isWorkspaceAdmin(p) || isTrainer(p) || hasScope(p, 'groups:read', 'groups:write');

  /** Resolves a `{group}` reference the caller may see, or answers 404 (never revealing that it exists). */
  async function access(principal: Principal, ref: string): Promise<{ id: string; facts: GroupFacts }> {
    const id = await groupIdForAccessCheck(prisma, ref);
    if (!id) throw notFound('group_not_found', 'The group');
    const facts = await groupFacts(prisma, userId(principal), id);
    if (!policy.seeGroup(principal, facts)) throw notFound('group_not_found', 'The group');
    return { id, facts };
  }

  async function manageable(principal: Principal, ref: string) {
    const found = await access(principal, ref);
    if (!policy.manageGroup(principal, found.facts)) throw forbidden('Only admins and group admins can change this group.');
    return found;
  }

  async function view(principal: Principal, id: string) {
    const [row] = await selectGroups(prisma, { viewerId: userId(principal), ids: [id], limit: 1 });
    if (!row) throw notFound('group_not_found', 'The group');
    return toGroup(row);
  }

  async function parentFacts(principal: Principal, parentId: string) {
    const facts = await groupFacts(prisma, userId(principal), parentId);
    if (!facts.exists || !policy.seeGroup(principal, facts))
      throw new AppError('invalid_reference', 'The parent group does not exist.', [{ field: 'body.parentId', message: 'unknown group' }]);
    return facts;
  }

  return {
    access,
    manageable,
    view,

    async list(principal: Principal, query: z.output<typeof listGroupsQuerySchema>) {
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const viewer = userId(principal);
      // An integration without a groups scope sees no group (as GET /groups/{group} answers it 404).
      if (!seesAll(principal) && !viewer) return { items: [], nextCursor: null };
      const rows = await selectGroups(prisma, {
        viewerId: viewer,
        onlyVisibleTo: seesAll(principal) ? undefined : (viewer ?? undefined),
        parentId: query.parentId,
        q: query.q,
        after,
        limit: query.limit + 1,
      });
      const page = toPage(rows, query.limit, (g) => [g.name, g.id]);
      return { items: page.items.map(toGroup), nextCursor: page.nextCursor };
    },

    async create(principal: Principal, body: CreateBody) {
      const parent = body.parentId ? await parentFacts(principal, body.parentId) : null;
      if (!policy.createGroup(principal, parent)) throw forbidden('Only admins, and group admins under their groups, can create groups.');
      try {
        const group = await prisma.$transaction(async (tx) => {
          const created = await tx.group.create({
            data: {
              name: body.name,
              description: body.description ?? null,
              parentId: body.parentId ?? null,
              externalId: body.externalId ?? null,
              welcomeMessage: body.welcomeMessage ?? null,
              colors: body.colors ?? {},
            },
          });
          await emit(tx, 'group.created', { groupId: created.id, name: created.name, parentId: created.parentId });
          await audit(tx, principal, 'group.create', { type: 'group', id: created.id });
          return created;
        });
        return view(principal, group.id);
      } catch (error) {
        return externalIdConflict(error);
      }
    },

    async update(principal: Principal, ref: string, body: PatchBody) {
      const { id } = await manageable(principal, ref);
      if (body.parentId !== undefined) {
        const current = await prisma.group.findUniqueOrThrow({ where: { id }, select: { parentId: true } });
        if (body.parentId !== current.parentId) {
          // Moving a group changes who covers it: it takes an admin of both the old and the new place.
          const oldParent = current.parentId ? await groupFacts(prisma, userId(principal), current.parentId) : null;
          const newParent = body.parentId ? await parentFacts(principal, body.parentId) : null;
          const allowed =
            isWorkspaceAdmin(principal) ||
            hasScope(principal, 'groups:write') ||
            (oldParent?.covering.has('admin') && newParent?.covering.has('admin'));
          if (!allowed) throw forbidden('Moving a group takes an admin of both its current and its new parent.');
          if (body.parentId && (await isInSubtree(prisma, id, body.parentId)))
            throw new AppError('group_cycle', 'A group cannot be moved under itself or one of its subgroups.', [
              { field: 'body.parentId', message: 'would make a cycle' },
            ]);
        }
      }
      try {
        await prisma.$transaction(async (tx) => {
          await tx.group.update({
            where: { id },
            data: {
              name: body.name,
              description: body.description,
              parentId: body.parentId,
              externalId: body.externalId,
              welcomeMessage: body.welcomeMessage,
              colors: body.colors,
              version: { increment: 1 },
            },
          });
          // The subtree's learners may now reach other assignments (or lose some).
          if (body.parentId !== undefined) await reconcileEnrollments(tx, { users: learnersOfSubtree(id) });
          await emit(tx, 'group.updated', { groupId: id, fields: Object.keys(body) });
          await audit(tx, principal, 'group.update', { type: 'group', id }, { fields: Object.keys(body) });
        });
      } catch (error) {
        return externalIdConflict(error);
      }
      return view(principal, id);
    },

    async remove(principal: Principal, ref: string) {
      const { id } = await access(principal, ref);
      if (!policy.deleteGroup(principal)) throw forbidden('Only owners and admins can delete groups.');
      await prisma.$transaction(async (tx) => {
        const children = await tx.group.count({ where: { parentId: id } });
        if (children > 0)
          throw new AppError('group_has_children', 'Move or delete its subgroups first.');
        const learners = (
          await tx.membership.findMany({ where: { groupId: id, role: 'learner' }, select: { userId: true } })
        ).map((m) => m.userId);
        await tx.group.delete({ where: { id } });
        await reconcileEnrollments(tx, { users: usersById(learners) });
        await emit(tx, 'group.deleted', { groupId: id });
        await audit(tx, principal, 'group.delete', { type: 'group', id });
      });
    },

    async members(principal: Principal, ref: string, query: z.output<typeof listMembersQuerySchema>) {
      const { id } = await access(principal, ref);
      const after = decodeCursor(query.cursor, 1);
      const rows = await prisma.$queryRaw<MemberRow[]>(membersPageSql(id, query.role, after ? String(after[0]) : undefined, query.limit + 1));
      const page = toPage(rows, query.limit, (r) => [r.email]);
      return {
        items: page.items.map((r) => ({
          user: { id: r.id, email: r.email, firstName: r.first_name, lastName: r.last_name },
          roles: [...new Set(r.sources.map((s) => s.role))],
          sources: r.sources,
        })),
        nextCursor: page.nextCursor,
      };
    },

    async putMember(principal: Principal, groupRef: string, userRef: string, roles: GroupRole[]) {
      const { id } = await manageable(principal, groupRef);
      const target = await requireUserId(prisma, userRef);
      const change = await prisma.$transaction(async (tx) => {
        const result = await setMemberRoles(tx, {
          userId: target,
          groupId: id,
          roles,
          source: principal.type === 'client' ? 'api' : 'manual',
        });
        await audit(tx, principal, 'group.member.set', { type: 'group', id }, { userId: target, roles });
        return result;
      });
      const current = await prisma.membership.findMany({ where: { groupId: id, userId: target }, select: { role: true } });
      return { userId: target, groupId: id, roles: current.map((m) => m.role), ...change };
    },

    async deleteMember(principal: Principal, groupRef: string, userRef: string, role?: GroupRole) {
      const { id } = await manageable(principal, groupRef);
      const target = await requireUserId(prisma, userRef);
      const change = await prisma.$transaction(async (tx) => {
        const result = await removeMember(tx, { userId: target, groupId: id, role });
        await audit(tx, principal, 'group.member.remove', { type: 'group', id }, { userId: target, role });
        return result;
      });
      if (change.removed.length === 0) throw notFound('not_found', 'This membership');
    },

    async setImage(principal: Principal, ref: string, kind: ImageKind, data: Buffer) {
      const { id } = await manageable(principal, ref);
      const image = await processImage(data, kind);
      const key = `groups/${id}/${kind}-${randomUUID()}.webp`;
      await app.storage.put(key, image.data);
      await prisma.$transaction(async (tx) => {
        const file = await tx.storedFile.create({
          data: {
            storageKey: key,
            contentType: image.contentType,
            size: image.data.length,
            width: image.width,
            height: image.height,
            sha256: sha256(image.data),
            purpose: `group-${kind}`,
            uploadedBy: userId(principal),
          },
        });
        await tx.group.update({
          where: { id },
          data: kind === 'logo' ? { logoFileId: file.id, version: { increment: 1 } } : { backgroundFileId: file.id, version: { increment: 1 } },
        });
        await emit(tx, 'group.updated', { groupId: id, fields: [kind] });
        await audit(tx, principal, `group.${kind}.set`, { type: 'group', id });
      });
      return view(principal, id);
    },

    async clearImage(principal: Principal, ref: string, kind: ImageKind) {
      const { id } = await manageable(principal, ref);
      await prisma.$transaction(async (tx) => {
        await tx.group.update({
          where: { id },
          data: kind === 'logo' ? { logoFileId: null, version: { increment: 1 } } : { backgroundFileId: null, version: { increment: 1 } },
        });
        await emit(tx, 'group.updated', { groupId: id, fields: [kind] });
        await audit(tx, principal, `group.${kind}.clear`, { type: 'group', id });
      });
    },
  };
}
