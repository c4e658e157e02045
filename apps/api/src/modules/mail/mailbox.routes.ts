import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { mailboxQuerySchema, mailSchema, page } from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { pageWithLink } from '../../lib/pagination.ts';
import { principalOf } from '../../plugins/auth.ts';
import { mailboxService } from './mailbox.service.ts';

/** The dev mailbox (see mailboxService). */
export const mailboxRoutes: FastifyPluginAsyncZod = async (app) => {
  const mailbox = mailboxService(app);
  app.get(
    '/admin/mailbox',
    {
      schema: {
        operationId: 'listMailbox',
        tags: ['admin'],
        summary: 'Mails sent or queued, newest first (`to=` filters by recipient)',
        description:
          'The mails Covey sent or queued, newest first; `to=` filters by recipient. Workspace admins only: it is the development and support mailbox.',
        querystring: mailboxQuerySchema,
        response: { 200: page(mailSchema), ...problems(...authProblems, 403) },
      },
    },
    async (request, reply) => pageWithLink(request, reply, await mailbox.list(principalOf(request), request.query)),
  );
};
