import type { Deps } from '../../lib/deps.ts';
import { createdBefore, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import { authorize } from '../../policy/index.ts';

type AuditQuery = { actorId?: string; targetId?: string; action?: string; limit: number; cursor?: string };

/** The audit log of admin and integration writes, read by whoever the policy lets (workspace admins). */
export function auditService(deps: Deps<'db'>) {
  return {
    /** A page, newest first; `action` matches as a prefix (`webhook.` finds every webhook action). */
    async list(principal: Principal, q: AuditQuery) {
      authorize(principal, 'auditLog');
      const rows = await deps.db.prisma.auditLog.findMany({
        where: {
          actorId: q.actorId,
          targetId: q.targetId,
          action: q.action ? { startsWith: q.action } : undefined,
          ...createdBefore(q.cursor),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
      });
      const result = toPage(rows, q.limit, (r) => [r.createdAt.toISOString(), r.id]);
      return { items: result.items.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })), nextCursor: result.nextCursor };
    },
  };
}
