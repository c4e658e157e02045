import type { Deps } from '../../lib/deps.ts';
import type { z } from 'zod';
import type { createGroupBodySchema, listGroupsQuerySchema, patchGroupBodySchema } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { audit } from '../../lib/audit.ts';
import { rehearse } from '../../lib/dry-run.ts';
import type { Tx } from '../../db/sql.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { emit } from '../../db/outbox.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import { groupFacts, toGroupFacts } from '../../policy/facts.ts';
import {
  allowsGroup,
  groupListScope,
  groupManageScope,
  requireFilterGroup,
  requireCreateGroup,
  requireGroup,
  requireMoveGroup,
  requireParentGroup,
  type GroupAccess,
  type GroupNeed,
} from '../../policy/index.ts';
import { learnersOfSubtree, reconcileEnrollments, usersById } from '../enrollments/enrollment-engine.ts';
import { toGroup, type GroupRow } from './group-view.ts';
import { brandingOf, isInSubtree, selectGroups } from './groups.repository.ts';
import { groupAncestry } from './group-ancestry.ts';
import { groupImages } from './group-images.ts';
import { groupMembers } from './group-members.ts';

type CreateBody = z.output<typeof createGroupBodySchema>;
type PatchBody = z.output<typeof patchGroupBodySchema>;

function externalIdConflict(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
    throw new AppError('external_id_taken', 'Another group already has this externalId.', [
      { field: 'body.externalId', message: 'is already used' },
    ]);
  throw error;
}

/** Groups: reading, the list, creating, changing (moving included) and deleting; members, ancestry and images in their own files. */
export function groupsService(deps: Deps<'db' | 'storage'>) {
  const prisma = deps.db.prisma;
  const userId = (p: Principal) => (p.type === 'user' ? p.id : null);
  /** Resolves a `{group}` reference through the access door (404 when unseen, 403 when seen but not allowed). */
  const access = (principal: Principal, ref: string, need: GroupNeed = 'see'): Promise<GroupAccess> =>
    requireGroup(prisma, principal, ref, need);
  const manageable = (principal: Principal, ref: string) => access(principal, ref, 'manage');

  async function view(principal: Principal, id: string) {
    const [row] = await selectGroups(prisma, { viewerId: userId(principal), ids: [id], limit: 1 });
    if (!row) throw notFound('group_not_found', 'The group');
    return (await withBranding(principal, [row]))[0]!;
  }

  /** Rows as answered, each with what it shows and inherits, and what the caller may do with it. */
  async function withBranding(principal: Principal, rows: GroupRow[]) {
    const extras = await brandingOf(
      prisma,
      rows.map((r) => r.id),
      userId(principal),
    );
    return rows.map((row) => {
      const extra = extras.get(row.id)!;
      const facts = toGroupFacts(extra.facts);
      const may = {
        canManage: allowsGroup(principal, facts, 'manage'),
        canDelete: allowsGroup(principal, facts, 'delete'),
      };
      return toGroup(row, extra, may);
    });
  }

  const parentFacts = (principal: Principal, parentId: string) => requireParentGroup(prisma, principal, parentId);

  return {
    access,
    ...groupMembers(prisma),
    manageable,
    view,
    ...groupAncestry(prisma),
    ...groupImages(deps, view),

    async list(principal: Principal, query: z.output<typeof listGroupsQuerySchema>) {
      const after = decodeCursor(query.cursor, ['text', 'uuid']);
      const viewer = userId(principal);
      // An integration without a groups scope sees no group (as GET /groups/{group} answers it 404).
      const scope = groupListScope(principal);
      // `manageable`: what the policy lets the caller manage (a group admin's subtrees), however many groups there are.
      const manage = query.manageable ? groupManageScope(principal) : 'all';
      if (scope === 'none' || manage === 'none') return { items: [], nextCursor: null };
      const outside = query.outside
        ? await requireFilterGroup(prisma, principal, query.outside, 'query.outside')
        : undefined;
      const rows = await selectGroups(prisma, {
        viewerId: viewer,
        onlyVisibleTo: scope === 'all' ? undefined : (viewer ?? undefined),
        onlyManagedBy: manage === 'administered' ? (viewer ?? undefined) : undefined,
        outside,
        parentId: query.parentId,
        q: query.q,
        after,
        limit: query.limit + 1,
      });
      const page = toPage(rows, query.limit, (g) => [g.name, g.id]);
      return { items: await withBranding(principal, page.items), nextCursor: page.nextCursor };
    },

    async create(principal: Principal, body: CreateBody) {
      const parent = body.parentId ? await parentFacts(principal, body.parentId) : null;
      requireCreateGroup(principal, parent);
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
          const oldParent = current.parentId ? await groupFacts(prisma, userId(principal), current.parentId) : null;
          const newParent = body.parentId ? await parentFacts(principal, body.parentId) : null;
          requireMoveGroup(principal, oldParent, newParent);
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
              version: { increment: 1 },
            },
          });
          // Colours merge: a key left out stays, null unsets it (the colour is inherited again).
          if (body.colors) {
            const entries = Object.entries(body.colors).filter(([, v]) => v !== undefined);
            const set = Object.fromEntries(entries.filter(([, v]) => v !== null));
            const unset = entries.filter(([, v]) => v === null).map(([k]) => k);
            await tx.$executeRaw`UPDATE groups SET colors = (colors || ${JSON.stringify(set)}::jsonb) - ${unset}::text[] WHERE id = ${id}::uuid`;
          }
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

    /** Deletes a group without subgroups; `dryRun` answers what it would do (members, withdrawn enrollments). */
    async remove(principal: Principal, ref: string, dryRun = false) {
      const { id } = await access(principal, ref, 'delete');
      const change = async (tx: Tx) => {
        const subgroups = await tx.group.count({ where: { parentId: id } });
        const members = await tx.membership.findMany({
          where: { groupId: id },
          select: { userId: true, role: true },
          distinct: ['userId', 'role'],
        });
        if (subgroups > 0) {
          if (dryRun) return { subgroups, members: new Set(members.map((m) => m.userId)).size, withdrawn: 0 };
          throw new AppError('group_has_children', 'Move or delete its subgroups first.');
        }
        const learners = members.filter((m) => m.role === 'learner').map((m) => m.userId);
        await tx.group.delete({ where: { id } });
        const { withdrawn } = await reconcileEnrollments(tx, { users: usersById(learners) });
        await emit(tx, 'group.deleted', { groupId: id });
        await audit(tx, principal, 'group.delete', { type: 'group', id });
        return { subgroups, members: new Set(members.map((m) => m.userId)).size, withdrawn };
      };
      if (dryRun) return { dryRun: true as const, ...(await rehearse(prisma, change)) };
      await prisma.$transaction(change);
      return null;
    },
  };
}
