import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { count, cursorSchema, idSchema, MAX_REQUEST_TEXT, page, queryInt, timestamp } from '@covey/schema';
import { authProblems, problems } from '../../lib/openapi.ts';
import { pageWithLink } from '../../lib/pagination.ts';
import { principalOf } from '../../plugins/auth.ts';
import { authorize } from '../../policy/index.ts';
import { runObserverDigests } from '../digests/digest.service.ts';
import { auditService } from './audit.service.ts';

const auditEntrySchema = z.object({
  id: idSchema,
  actorType: z.enum(['user', 'client', 'scim', 'system']),
  // Recorded from requests (a forwarded IP, a request id, a path): bounded by what one request can carry.
  actorId: z.string().max(MAX_REQUEST_TEXT).nullable(),
  action: z.string().max(MAX_REQUEST_TEXT),
  targetType: z.string().max(MAX_REQUEST_TEXT).nullable(),
  targetId: z.string().max(MAX_REQUEST_TEXT).nullable(),
  data: z.unknown(),
  ip: z.string().max(MAX_REQUEST_TEXT).nullable(),
  requestId: z.string().max(MAX_REQUEST_TEXT).nullable(),
  createdAt: timestamp(),
});

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
        querystring: z.object({
          actorId: z.string().max(100).optional(),
          targetId: z.string().max(500).optional(),
          action: z.string().max(200).optional(),
          limit: queryInt(1, 200).default(50),
          cursor: cursorSchema.optional(),
        }),
        response: { 200: page(auditEntrySchema, 200), ...problems(...authProblems, 403) },
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
        response: { 200: z.object({ period: z.string().max(20).nullable(), sent: count() }), ...problems(...authProblems, 403) },
      },
    },
    async (request) => {
      authorize(principalOf(request), 'runDigests');
      return runObserverDigests(app);
    },
  );
};
