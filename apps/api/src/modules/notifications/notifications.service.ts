import type { Deps } from '../../lib/deps.ts';
import type { Notification } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { UserPrincipal } from '../../lib/principal.ts';
import { excerpt } from '../mail/templates.ts';

type Row = {
  id: string;
  type: Notification['type'];
  read_at: Date | null;
  created_at: Date;
  actor_id: string | null;
  actor_first: string | null;
  actor_last: string | null;
  post_id: string | null;
  post_body: string | null;
  group_id: string | null;
  group_name: string | null;
  program_id: string | null;
  program_title: string | null;
  message: string | null;
};

/** A notification as the API shows it: who, about what, with an excerpt of the post. */
const toNotification = (r: Row) => ({
  id: r.id,
  type: r.type,
  readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  createdAt: new Date(r.created_at).toISOString(),
  actor: r.actor_id ? { id: r.actor_id, firstName: r.actor_first ?? '', lastName: r.actor_last ?? '' } : null,
  post: r.post_id ? { id: r.post_id, excerpt: excerpt(r.post_body ?? '', 140) } : null,
  group: r.group_id ? { id: r.group_id, name: r.group_name ?? '' } : null,
  program: r.program_id ? { id: r.program_id, title: r.program_title ?? '' } : null,
  message: r.message,
});

/** A person's own notifications: the list with its unread count, and marking them read. */
export function notificationsService(deps: Deps<'db'>) {
  const prisma = deps.db.prisma;
  const unreadCount = (me: UserPrincipal) => prisma.notification.count({ where: { userId: me.id, readAt: null } });

  return {
    /** A page, newest first (all, or the unread ones only), and how many are unread. */
    async list(me: UserPrincipal, query: { cursor?: string; limit: number; unread?: 'true' | 'false' }) {
      const after = decodeCursor(query.cursor, ['time', 'uuid']);
      const rows = await prisma.$queryRaw<Row[]>`
        SELECT n.id::text, n.type, n.read_at, n.created_at,
          a.id::text AS actor_id, a.first_name AS actor_first, a.last_name AS actor_last,
          p.id::text AS post_id, p.body AS post_body,
          g.id::text AS group_id, g.name AS group_name,
          pr.id::text AS program_id, pr.title AS program_title,
          n.data->>'message' AS message
        FROM notifications n
        LEFT JOIN users a ON a.id = n.actor_id
        LEFT JOIN posts p ON p.id = n.post_id AND p.deleted_at IS NULL
        LEFT JOIN groups g ON g.id = n.group_id
        LEFT JOIN programs pr ON pr.id = n.program_id
        WHERE n.user_id = ${me.id}::uuid
          ${query.unread === 'true' ? Prisma.sql`AND n.read_at IS NULL` : Prisma.empty}
          ${after ? Prisma.sql`AND (n.created_at, n.id) < (${new Date(String(after[0]))}::timestamptz, ${String(after[1])}::uuid)` : Prisma.empty}
        ORDER BY n.created_at DESC, n.id DESC
        LIMIT ${query.limit + 1}`;
      const page = toPage(rows, query.limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
      return { items: page.items.map(toNotification), nextCursor: page.nextCursor, unreadCount: await unreadCount(me) };
    },

    /** Marks the given notifications (or all) read; answers how many changed and how many stay unread. */
    async markRead(me: UserPrincipal, ids: string[] | undefined) {
      const result = await prisma.notification.updateMany({
        where: { userId: me.id, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
        data: { readAt: new Date() },
      });
      return { updated: result.count, unreadCount: await unreadCount(me) };
    },
  };
}
