import { z } from 'zod';
import { count, cursorSchema, idSchema, MAX_REQUEST_TEXT, ONE_LINE, page, queryInt, timestamp } from './common.ts';

/** One entry of the audit log of admin and integration writes. */
export const auditEntrySchema = z
  .object({
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
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditLogPageSchema = page(auditEntrySchema, 200);

export const auditLogQuerySchema = z.object({
  actorId: z.string().max(100).regex(ONE_LINE).optional(),
  targetId: z.string().max(500).regex(ONE_LINE).optional(),
  action: z.string().max(200).regex(ONE_LINE).optional(),
  limit: queryInt(1, 200).default(50),
  cursor: cursorSchema.optional(),
});

/** An on-demand run of the observer digests: the period it covered (null: digests are off) and the mails sent. */
export const digestRunSchema = z.object({ period: z.string().max(20).nullable(), sent: count() }).meta({ id: 'DigestRun' });
export type DigestRun = z.infer<typeof digestRunSchema>;

/** Liveness and readiness. */
export const healthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
export const readinessSchema = z.object({ status: z.literal('ready'), database: z.enum(['postgres', 'pglite']) }).meta({ id: 'Readiness' });
