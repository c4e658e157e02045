import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listPostsQuerySchema, mailSchema, page } from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { createdBefore, linkNext, toPage } from '../../lib/pagination.ts';
import { principalOf } from '../../plugins/auth.ts';
import { authorize } from '../../policy/index.ts';

/** The dev mailbox: every mail the app sent or would send, readable by admins (the only mailbox without SMTP_URL). */
export const mailboxRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/admin/mailbox',
    {
      schema: {
        operationId: 'listMailbox',
        tags: ['admin'],
        summary: 'Mails sent or queued, newest first (`to=` filters by recipient)',
        querystring: listPostsQuerySchema.extend({ to: z.string().max(320).optional() }),
        response: { 200: page(mailSchema), ...problems(...authProblems, 403) },
      },
    },
    async (request, reply) => {
      authorize(principalOf(request), 'mailbox');
      const rows = await app.db.prisma.mailMessage.findMany({
        where: {
          ...(request.query.to ? { to: request.query.to.toLowerCase() } : {}),
          ...createdBefore(request.query.cursor),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: request.query.limit + 1,
      });
      const result = toPage(rows, request.query.limit, (m) => [m.createdAt.toISOString(), m.id]);
      linkNext(request, reply, result.nextCursor);
      return {
        items: result.items.map((m) => ({
          ...m,
          sentAt: m.sentAt?.toISOString() ?? null,
          createdAt: m.createdAt.toISOString(),
        })),
        nextCursor: result.nextCursor,
      };
    },
  );
};
