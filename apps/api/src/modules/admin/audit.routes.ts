import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditLogPageSchema, auditLogQuerySchema, digestRunSchema } from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { pageWithLink } from '../../lib/pagination.ts';
import { principalOf } from '../../plugins/auth.ts';
import { authorize } from '../../policy/index.ts';
import { runObserverDigests } from '../digests/digest.service.ts';
import { auditService } from './audit.service.ts';

/** The audit log of admin and integration writes, and an on-demand observer digest run, for admins. */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const audits = auditService(app);
  const tags = ['admin'];
  app.get(
    '/admin/audit',
    {
      schema: {
        operationId: 'listAuditLog',
        tags,
        summary: 'Audit log, newest first (filter by actor or target)',
        description:
          'The audit log of the workspace, newest first: who did what to whom; filter by actor or target. Workspace admins.',
        querystring: auditLogQuerySchema,
        response: { 200: auditLogPageSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request, reply) => pageWithLink(request, reply, await audits.list(principalOf(request), request.query)),
  );

  app.post(
    '/admin/digests/run',
    {
      schema: {
        operationId: 'runObserverDigests',
        tags,
        summary: 'Run the observer digests of the current period now (once per period, whatever the number of calls)',
        description:
          'Sends the observer digests of the current period now instead of waiting for the scheduler; a period is sent once, however many calls. Workspace admins.',
        response: { 200: digestRunSchema, ...problems(...authProblems, 403) },
      },
    },
    async (request) => {
      authorize(principalOf(request), 'runDigests');
      return runObserverDigests(app);
    },
  );
};
