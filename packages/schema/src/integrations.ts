import { z } from 'zod';
import { count, groupRefSchema, groupRoleSchema, idSchema, int32, MAX_REQUEST_TEXT, timestamp, userRefSchema } from './common.ts';
import { webhookEvents } from './events.ts';

const MAX_BULK_OPERATIONS = 20_000;

export const bulkMembershipOperationSchema = z.object({
  op: z.enum(['add', 'remove']),
  user: userRefSchema,
  group: groupRefSchema,
  role: groupRoleSchema.default('learner'),
});
export const bulkMembershipsBodySchema = z
  .object({ operations: z.array(bulkMembershipOperationSchema).min(1).max(MAX_BULK_OPERATIONS) })
  .strict();
export type BulkMembershipsBody = z.input<typeof bulkMembershipsBodySchema>;

export const bulkOperationSchema = z
  .object({
    id: idSchema,
    kind: z.string().max(100),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    total: int32(0, MAX_BULK_OPERATIONS),
    processed: int32(0, MAX_BULK_OPERATIONS),
    succeeded: int32(0, MAX_BULK_OPERATIONS),
    failed: int32(0, MAX_BULK_OPERATIONS),
    errors: z
      .array(z.object({ index: int32(0, MAX_BULK_OPERATIONS), code: z.string().max(100), message: z.string().max(MAX_REQUEST_TEXT) }))
      .max(MAX_BULK_OPERATIONS)
      .describe('One per failed operation'),
    createdAt: timestamp(),
    finishedAt: timestamp().nullable(),
  })
  .meta({ id: 'BulkOperation' });
export type BulkOperation = z.infer<typeof bulkOperationSchema>;

export { webhookEvents };
const MAX_WEBHOOK_URL = 2000;
export const webhookEventSchema = z.enum(webhookEvents);

export const webhookSchema = z
  .object({
    id: idSchema,
    url: z.string().max(MAX_WEBHOOK_URL).meta({ format: 'uri' }),
    description: z.string().max(500).nullable(),
    events: z.array(z.union([webhookEventSchema, z.literal('*')])).max(webhookEvents.length + 1),
    active: z.boolean(),
    failingSince: timestamp().nullable(),
    disabledAt: timestamp().nullable(),
    createdAt: timestamp(),
  })
  .meta({ id: 'Webhook' });

export const createWebhookBodySchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(MAX_WEBHOOK_URL),
    description: z.string().trim().max(500).optional(),
    events: z.array(z.union([webhookEventSchema, z.literal('*')])).min(1).max(webhookEvents.length + 1),
  })
  .strict();
export const patchWebhookBodySchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(MAX_WEBHOOK_URL),
    description: z.string().trim().max(500).nullable(),
    events: z.array(z.union([webhookEventSchema, z.literal('*')])).min(1).max(webhookEvents.length + 1),
    active: z.boolean(),
    rotateSecret: z.literal(true),
  })
  .partial()
  .strict();

export const webhookDeliverySchema = z
  .object({
    id: idSchema,
    eventId: idSchema,
    eventType: z.string().max(100),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: count(),
    responseStatus: int32(0, 999).nullable().describe('The HTTP status the endpoint answered'),
    latencyMs: count().nullable(),
    lastError: z.string().max(300).nullable(),
    deliveredAt: timestamp().nullable(),
    createdAt: timestamp(),
  })
  .meta({ id: 'WebhookDelivery' });
