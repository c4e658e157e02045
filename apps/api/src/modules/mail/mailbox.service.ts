import type { Deps } from '../../lib/deps.ts';
import { createdBefore, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import { authorize } from '../../policy/index.ts';

/** The dev mailbox: every mail the app sent or would send, readable by admins (the only mailbox without SMTP_URL). */
export function mailboxService(deps: Deps<'db'>) {
  return {
    /** A page, newest first; `to` filters by recipient. */
    async list(principal: Principal, query: { to?: string; cursor?: string; limit: number }) {
      authorize(principal, 'mailbox');
      const rows = await deps.db.prisma.mailMessage.findMany({
        where: {
          ...(query.to ? { to: query.to.toLowerCase() } : {}),
          ...createdBefore(query.cursor),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
      });
      const result = toPage(rows, query.limit, (m) => [m.createdAt.toISOString(), m.id]);
      return {
        items: result.items.map((m) => ({ ...m, sentAt: m.sentAt?.toISOString() ?? null, createdAt: m.createdAt.toISOString() })),
        nextCursor: result.nextCursor,
      };
    },
  };
}
