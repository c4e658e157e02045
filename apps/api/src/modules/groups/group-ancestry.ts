import { Prisma } from '../../generated/prisma/client.ts';
import type { Database } from '../../db/database.ts';
import { ancestorsCte } from '../../db/tree.ts';
import { toUserSummary, type UserSummaryRow } from '../../db/user-summary.ts';
import type { Principal } from '../../lib/principal.ts';
import { allowsGroup, requireGroup } from '../../policy/index.ts';

/** An ancestor a row comes through, or null for the group itself. */
const viaOf = (r: { via_id: string | null; via_name: string | null }) =>
  r.via_id && r.via_name ? { id: r.via_id, name: r.via_name } : null;

/** What a group has through its ancestors too: the observers following it and the programs reaching it. */
export function groupAncestry(prisma: Database['prisma']) {
  const access = (principal: Principal, ref: string) => requireGroup(prisma, principal, ref, 'see');

  return {
    /** Who follows the group: its observers and those of its ancestors (`via` the ancestor), nearest first. */
    async observers(principal: Principal, ref: string) {
      const { id } = await access(principal, ref);
      const rows = await prisma.$queryRaw<(UserSummaryRow & { via_id: string | null; via_name: string | null })[]>`
        WITH RECURSIVE ${ancestorsCte(id)}
        SELECT DISTINCT ON (u.id) u.id::text, u.email, u.first_name, u.last_name,
          CASE WHEN anc.depth = 0 THEN NULL ELSE g.id::text END AS via_id,
          CASE WHEN anc.depth = 0 THEN NULL ELSE g.name END AS via_name
        FROM anc JOIN groups g ON g.id = anc.id
        JOIN memberships m ON m.group_id = anc.id AND m.role = 'observer'
        JOIN users u ON u.id = m.user_id AND u.status = 'active'
        ORDER BY u.id, anc.depth`;
      rows.sort(
        (a, b) =>
          Number(a.via_id !== null) - Number(b.via_id !== null) ||
          a.last_name.localeCompare(b.last_name) ||
          a.email.localeCompare(b.email),
      );
      rows.length = Math.min(rows.length, 1000);
      return {
        items: rows.map((r) => ({
          user: toUserSummary(r),
          via: viaOf(r),
        })),
        nextCursor: null,
      };
    },

    /**
     * The programs reaching the group: assigned to it or (`via`) to an ancestor. Drafts only for those who manage
     * the group; the others see what is open or was.
     */
    async programs(principal: Principal, ref: string) {
      const { id, facts } = await access(principal, ref);
      const drafts = allowsGroup(principal, facts, 'manage');
      const rows = await prisma.$queryRaw<
        {
          id: string;
          title: string;
          status: 'draft' | 'published' | 'archived';
          via_id: string | null;
          via_name: string | null;
        }[]
      >`
        WITH RECURSIVE ${ancestorsCte(id)}
        SELECT DISTINCT ON (p.id) p.id::text, p.title, p.status::text AS status,
          CASE WHEN anc.depth = 0 THEN NULL ELSE g.id::text END AS via_id,
          CASE WHEN anc.depth = 0 THEN NULL ELSE g.name END AS via_name
        FROM anc JOIN groups g ON g.id = anc.id
        JOIN program_assignments a ON a.group_id = anc.id
        JOIN programs p ON p.id = a.program_id ${drafts ? Prisma.empty : Prisma.sql`AND p.status <> 'draft'`}
        ORDER BY p.id, anc.depth`;
      rows.sort((a, b) => Number(a.via_id !== null) - Number(b.via_id !== null) || a.title.localeCompare(b.title));
      rows.length = Math.min(rows.length, 1000);
      return {
        items: rows.map((r) => ({
          program: { id: r.id, title: r.title, status: r.status },
          via: viaOf(r),
        })),
        nextCursor: null,
      };
    },
  };
}
