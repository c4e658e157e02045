import { z } from 'zod';
import { groupRefSchema, groupRoleSchema, idSchema, userRefSchema } from './common.ts';

export const bulkMembershipOperationSchema = z.object({
  op: z.enum(['add', 'remove']),
  user: userRefSchema,
  group: groupRefSchema,
  role: groupRoleSchema.default('learner'),
});
export const bulkMembershipsBodySchema = z
  .object({ operations: z.array(bulkMembershipOperationSchema).min(1).max(20_000) })
  .strict();
export type BulkMembershipsBody = z.input<typeof bulkMembershipsBodySchema>;

export const bulkOperationSchema = z
  .object({
    id: idSchema,
    kind: z.string(),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    total: z.number().int(),
    processed: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    errors: z.array(z.object({ index: z.number().int(), code: z.string(), message: z.string() })),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'BulkOperation' });
export type BulkOperation = z.infer<typeof bulkOperationSchema>;

export const webhookEvents = [
  'user.created',
  'user.updated',
  'user.deactivated',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.member.added',
  'group.member.removed',
  'program.assigned',
  'program.unassigned',
  'enrollment.created',
  'enrollment.completed',
  'post.created',
] as const;
export const webhookEventSchema = z.enum(webhookEvents);

export const webhookSchema = z
  .object({
    id: idSchema,
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.union([webhookEventSchema, z.literal('*')])),
    active: z.boolean(),
    failingSince: z.string().nullable(),
    disabledAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Webhook' });

export const createWebhookBodySchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    description: z.string().trim().max(500).optional(),
    events: z.array(z.union([webhookEventSchema, z.literal('*')])).min(1).max(webhookEvents.length + 1),
  })
  .strict();
export const patchWebhookBodySchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2000),
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
    eventType: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    latencyMs: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });
