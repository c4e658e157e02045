import { personOf } from '../../plugins/auth.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listNotificationsQuerySchema, markReadBodySchema, notificationsPageSchema, notificationsReadSchema } from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { pageWithLink } from '../../lib/pagination.ts';
import { notificationsService } from './notifications.service.ts';

export const notificationsRoutes: FastifyPluginAsyncZod = async (app) => {
  const notifications = notificationsService(app);
  const tags = ['notifications'];

  app.get(
    '/me/notifications',
    {
      schema: {
        operationId: 'listMyNotifications',
        tags,
        summary: 'My notifications, newest first, with the unread count',
        description:
          'My notifications, newest first, with the count of unread ones; `unread=true` lists only those. Any signed-in person.',
        querystring: listNotificationsQuerySchema,
        response: { 200: notificationsPageSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request, reply) => pageWithLink(request, reply, await notifications.list(personOf(request), request.query)),
  );

  app.post(
    '/me/notifications/read',
    {
      schema: {
        operationId: 'markMyNotificationsRead',
        tags,
        summary: 'Mark some (`ids`) or all (`all: true`) of my notifications read',
        description:
          'Marks some of my notifications read (`ids`) or all of them (`all: true`), and answers how many stay unread. Ids that are not mine are ignored.',
        body: markReadBodySchema,
        response: { 200: notificationsReadSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request) => notifications.markRead(personOf(request), 'ids' in request.body ? request.body.ids : undefined),
  );
};
