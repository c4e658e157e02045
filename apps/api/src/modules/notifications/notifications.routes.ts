import { personOf } from '../../plugins/auth.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  count,
  listPostsQuerySchema,
  markReadBodySchema,
  type Notification,
  notificationsPageSchema,
} from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { authProblems, problems } from '../../lib/openapi.ts';
import { decodeCursor, linkNext, toPage } from '../../lib/pagination.ts';
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

export const notificationsRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const tags = ['notifications'];

  app.get(
    '/me/notifications',
    {
      schema: {
        operationId: 'listMyNotifications',
        tags,
        summary: 'My notifications, newest first, with the unread count',
        querystring: listPostsQuerySchema.extend({ unread: z.enum(['true', 'false']).optional() }),
        response: { 200: notificationsPageSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request, reply) => {
      const me = personOf(request);
      const after = decodeCursor(request.query.cursor, ['time', 'uuid']);
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
          ${request.query.unread === 'true' ? Prisma.sql`AND n.read_at IS NULL` : Prisma.empty}
          ${after ? Prisma.sql`AND (n.created_at, n.id) < (${new Date(String(after[0]))}::timestamptz, ${String(after[1])}::uuid)` : Prisma.empty}
        ORDER BY n.created_at DESC, n.id DESC
        LIMIT ${request.query.limit + 1}`;
      const unreadCount = await prisma.notification.count({ where: { userId: me.id, readAt: null } });
      const page = toPage(rows, request.query.limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
      linkNext(request, reply, page.nextCursor);
      return {
        items: page.items.map((r) => ({
          id: r.id,
          type: r.type,
          readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
          createdAt: new Date(r.created_at).toISOString(),
          actor: r.actor_id ? { id: r.actor_id, firstName: r.actor_first ?? '', lastName: r.actor_last ?? '' } : null,
          post: r.post_id ? { id: r.post_id, excerpt: excerpt(r.post_body ?? '', 140) } : null,
          group: r.group_id ? { id: r.group_id, name: r.group_name ?? '' } : null,
          program: r.program_id ? { id: r.program_id, title: r.program_title ?? '' } : null,
          message: r.message,
        })),
        nextCursor: page.nextCursor,
        unreadCount,
      };
    },
  );

  app.post(
    '/me/notifications/read',
    {
      schema: {
        operationId: 'markMyNotificationsRead',
        tags,
        summary: 'Mark some (`ids`) or all (`all: true`) of my notifications read',
        body: markReadBodySchema,
        response: { 200: z.object({ updated: count(), unreadCount: count() }), ...problems(...authProblems, 403) },
      },
    },
    async (request) => {
      const me = personOf(request);
      const result = await prisma.notification.updateMany({
        where: { userId: me.id, readAt: null, ...('ids' in request.body ? { id: { in: request.body.ids } } : {}) },
        data: { readAt: new Date() },
      });
      return { updated: result.count, unreadCount: await prisma.notification.count({ where: { userId: me.id, readAt: null } }) };
    },
  );
};
