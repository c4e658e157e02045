import type { z } from 'zod';
import type { GroupRole, listUsersQuerySchema, User } from '@covey/schema';
import type { User as UserRow } from '../../generated/prisma/client.ts';
import { subtreeIds } from '../../db/tree.ts';
import type { Deps } from '../../lib/deps.ts';
import { createdBefore, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import {
  attributesFor,
  authorize,
  personDataScope,
  requireFilterGroup,
  requireUser,
  type PersonNeed,
} from '../../policy/index.ts';
import { userWrites } from './user-writes.ts';
import { pendingInvitation, toUser } from './user-view.ts';

type ListQuery = z.output<typeof listUsersQuerySchema>;

/** People: reading one, the list, a person's groups and enrollments; the writes are in user-writes.ts. */
export function usersService(deps: Deps<'db' | 'env' | 'boss' | 'jwt' | 'touchActivity' | 'forgetPrincipal'>) {
  const prisma = deps.db.prisma;

  /** A person through the access door: 'see' (404 when out of reach) or 'manage' (by rank, 403). */
  const requirePerson = (principal: Principal, ref: string, need: PersonNeed = 'see'): Promise<UserRow> =>
    requireUser(prisma, principal, ref, need, (id) =>
      prisma.user.findUnique({ where: { id }, include: pendingInvitation() }),
    );

  /** A profile as this caller may read it: custom attributes only for admins, integrations and the person. */
  async function view(principal: Principal, ref: string): Promise<User> {
    const user = toUser(await requirePerson(principal, ref));
    return { ...user, attributes: attributesFor(principal, user.id, user.attributes) };
  }

  const visibleScope = (principal: Principal, targetId: string, what: 'groups' | 'enrollments') =>
    personDataScope(prisma, principal, targetId, what);

  return {
    requirePerson,
    view,
    ...userWrites(deps, requirePerson),

    async list(principal: Principal, query: ListQuery) {
      authorize(principal, 'listUsers');
      const q = query.q?.toLowerCase();
      const groupIds = query.group
        ? await subtreeIds(prisma, await requireFilterGroup(prisma, principal, query.group, 'query.group'))
        : null;
      const rows = await prisma.user.findMany({
        where: {
          role: query.role,
          status: query.status,
          ...(groupIds ? { memberships: { some: { groupId: { in: groupIds } } } } : {}),
          // Search and cursor are both OR-lists: they go under AND so that one does not replace the other.
          AND: [
            q
              ? {
                  OR: [
                    { email: { contains: q } },
                    { firstName: { contains: q, mode: 'insensitive' } },
                    { lastName: { contains: q, mode: 'insensitive' } },
                    { externalId: { equals: query.q } },
                  ],
                }
              : {},
            createdBefore(query.cursor),
          ],
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
        include: pendingInvitation(),
      });
      const page = toPage(rows, query.limit, (u) => [u.createdAt.toISOString(), u.id]);
      return { items: page.items.map(toUser), nextCursor: page.nextCursor };
    },

    async groupsOf(principal: Principal, ref: string) {
      const user = await requirePerson(principal, ref);
      const only = await visibleScope(principal, user.id, 'groups');
      const rows = await prisma.membership.findMany({
        where: { userId: user.id, ...(only ? { groupId: { in: [...only] } } : {}) },
        select: { role: true, group: { select: { id: true, name: true, parentId: true } } },
        orderBy: [{ group: { name: 'asc' } }],
      });
      const byGroup = new Map<
        string,
        { group: { id: string; name: string; parentId: string | null }; roles: GroupRole[] }
      >();
      for (const row of rows) {
        const entry = byGroup.get(row.group.id) ?? { group: row.group, roles: [] };
        entry.roles.push(row.role);
        byGroup.set(row.group.id, entry);
      }
      return { items: [...byGroup.values()], nextCursor: null };
    },

    /** A user's enrollments; an observer sees only those that come through groups they cover. */
    async enrollmentsOf(principal: Principal, ref: string) {
      const user = await requirePerson(principal, ref);
      const only = await visibleScope(principal, user.id, 'enrollments');
      const rows = await prisma.enrollment.findMany({
        where: {
          userId: user.id,
          ...(only ? { sources: { some: { assignment: { groupId: { in: [...only] } } } } } : {}),
        },
        include: {
          program: { select: { id: true, title: true } },
          sources: { include: { assignment: { select: { group: { select: { id: true, name: true } } } } } },
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
      return {
        items: rows.map((e) => ({
          program: e.program,
          status: e.status,
          progress: e.progress,
          completedAt: e.completedAt?.toISOString() ?? null,
          sources: e.sources
            .filter((s) => !only || only.has(s.assignment.group.id))
            .map((s) => ({ groupId: s.assignment.group.id, groupName: s.assignment.group.name })),
        })),
        nextCursor: null,
      };
    },
  };
}
