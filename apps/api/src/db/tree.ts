import { Prisma } from '../generated/prisma/client.ts';

/**
 * The CTE `anc(id, parent_id, depth)` (after `WITH RECURSIVE`): a group and its ancestors up to the root, depth 0
 * being the group. LATERAL … OFFSET 0 makes one primary-key probe per ancestor (a plain join is planned as a scan of
 * all groups).
 */
export const ancestorsCte = (groupId: string) => Prisma.sql`
  anc AS (
    SELECT id, parent_id, 0 AS depth FROM groups WHERE id = ${groupId}::uuid
    UNION ALL
    SELECT g.id, g.parent_id, anc.depth + 1 FROM anc
    CROSS JOIN LATERAL (SELECT id, parent_id FROM groups WHERE id = anc.parent_id OFFSET 0) g
  )`;
