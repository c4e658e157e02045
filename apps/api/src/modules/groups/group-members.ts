import type { z } from 'zod';
import type { GroupRole, listMembersQuerySchema } from '@covey/schema';
import type { Tx } from '../../db/sql.ts';
import { toUserSummary } from '../../db/user-summary.ts';
import { audit } from '../../lib/audit.ts';
import { rehearse } from '../../lib/dry-run.ts';
import { notFound } from '../../lib/errors.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import { requireUserId } from '../../lib/refs.ts';
import { requireAddableMember, requireGroup } from '../../policy/index.ts';
import type { Database } from '../../db/database.ts';
import { membersPageSql, type MemberRow } from './groups.repository.ts';
import { removeMember, setMemberRoles } from './membership.service.ts';

/** A group's members: the page of them, setting a member's roles, removing a member. */
export function groupMembers(prisma: Database['prisma']) {
  const access = (principal: Principal, ref: string) => requireGroup(prisma, principal, ref, 'see');
  const manageable = (principal: Principal, ref: string) => requireGroup(prisma, principal, ref, 'manage');

  return {
    async members(principal: Principal, ref: string, query: z.output<typeof listMembersQuerySchema>) {
      const { id } = await access(principal, ref);
      const after = decodeCursor(query.cursor, ['text']);
      const rows = await prisma.$queryRaw<MemberRow[]>(membersPageSql(id, query.role, after ? String(after[0]) : undefined, query.limit + 1));
      const page = toPage(rows, query.limit, (r) => [r.email]);
      return {
        items: page.items.map((r) => ({
          user: toUserSummary(r),
          roles: [...new Set(r.sources.map((s) => s.role))],
          sources: r.sources,
        })),
        nextCursor: page.nextCursor,
      };
    },

    async putMember(principal: Principal, groupRef: string, userRef: string, roles: GroupRole[]) {
      const { id } = await manageable(principal, groupRef);
      const target = await requireAddableMember(prisma, principal, userRef);
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

    /** Removes a member (one role, or every role set by hand or API); `dryRun` answers what it would do. */
    async deleteMember(principal: Principal, groupRef: string, userRef: string, role?: GroupRole, dryRun = false) {
      const { id } = await manageable(principal, groupRef);
      const target = await requireUserId(prisma, userRef);
      const change = async (tx: Tx) => {
        const result = await removeMember(tx, { userId: target, groupId: id, role });
        await audit(tx, principal, 'group.member.remove', { type: 'group', id }, { userId: target, role });
        return result;
      };
      const result = dryRun ? await rehearse(prisma, change) : await prisma.$transaction(change);
      if (result.removed.length === 0) throw notFound('not_found', 'This membership');
      return { dryRun, removed: result.removed, withdrawn: result.withdrawn };
    },
  };
}
