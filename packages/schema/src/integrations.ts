import { z } from 'zod';
import { count, FREE_TEXT, groupRefSchema, groupRoleSchema, idSchema, int32, isoDate, MAX_REQUEST_TEXT, MAX_ROWS, ONE_LINE, text, timestamp, userRefSchema } from './common.ts';
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

/** A new endpoint, with its signing secret (shown once). */
export const createdWebhookSchema = webhookSchema
  .extend({ secret: z.string().max(256).describe('HMAC-SHA256 key of X-Signature') })
  .meta({ id: 'CreatedWebhook' });
export type CreatedWebhook = z.infer<typeof createdWebhookSchema>;
/** A changed endpoint; with `rotateSecret`, its new secret (shown once). */
export const updatedWebhookSchema = webhookSchema
  .extend({ secret: z.string().max(256).optional().describe('The new secret, after `rotateSecret: true`') })
  .meta({ id: 'UpdatedWebhook' });
export type UpdatedWebhook = z.infer<typeof updatedWebhookSchema>;
/** A delivery queued again. */
export const webhookReplaySchema = z.object({ deliveryId: idSchema, status: z.literal('pending') }).meta({ id: 'WebhookReplay' });
export type WebhookReplay = z.infer<typeof webhookReplaySchema>;

/** A webhook target: an http(s) URL (the document says the scheme as a pattern: `format: uri` allows any). */
const webhookUrl = z.url({ protocol: /^https?$/ }).max(MAX_WEBHOOK_URL).meta({ pattern: '^[Hh][Tt][Tt][Pp][Ss]?:' });

export const createWebhookBodySchema = z
  .object({
    url: webhookUrl,
    description: z.string().trim().max(500).regex(FREE_TEXT).optional(),
    events: z.array(z.union([webhookEventSchema, z.literal('*')])).min(1).max(webhookEvents.length + 1),
  })
  .strict();
export const patchWebhookBodySchema = z
  .object({
    url: webhookUrl,
    description: z.string().trim().max(500).regex(FREE_TEXT).nullable(),
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

/** The scopes an integration client may be granted. */
export const clientScopes = ['users:read', 'users:write', 'groups:read', 'groups:write', 'bulk', 'webhooks'] as const;
export const clientScopeSchema = z.enum(clientScopes);
export type ClientScope = z.infer<typeof clientScopeSchema>;

export const apiClientSchema = z.object({
  id: idSchema,
  name: z.string().max(200),
  clientId: z.string().max(64),
  scopes: z.array(clientScopeSchema).max(clientScopes.length),
  createdAt: timestamp(),
  lastUsedAt: timestamp().nullable(),
  revokedAt: timestamp().nullable(),
});
export type ApiClient = z.infer<typeof apiClientSchema>;
export const createdApiClientSchema = apiClientSchema.extend({
  clientSecret: z.string().max(256).describe('Shown once: store it now. Only its hash is kept.'),
});
export type CreatedApiClient = z.infer<typeof createdApiClientSchema>;
/** Every client, on one page. */
export const apiClientsPageSchema = z.object({ items: z.array(apiClientSchema).max(MAX_ROWS), nextCursor: z.null() });
/** A client as integrators name it: the public `clientId` (`cvc_…`) or the internal `id` (UUID). */
export const apiClientRefSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^(cvc_[\w-]{1,60}|[0-9a-fA-F-]{36})$/)
  .describe('The public `clientId` (`cvc_…`) or the internal `id` (UUID)');
export const createApiClientBodySchema = z
  .object({ name: text(200), scopes: z.array(clientScopeSchema).min(1).max(clientScopes.length) })
  .strict();
export type CreateApiClientBody = z.input<typeof createApiClientBodySchema>;

export const scimTokenSchema = z.object({
  id: idSchema,
  name: z.string().max(100),
  prefix: z.string().max(12).describe('The first characters of the token, to recognise it'),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
});
export type ScimToken = z.infer<typeof scimTokenSchema>;
export const createdScimTokenSchema = scimTokenSchema.extend({
  token: z.string().max(256).describe('The bearer token for /scim/v2; shown only in this response'),
});
export type CreatedScimToken = z.infer<typeof createdScimTokenSchema>;
export const createScimTokenBodySchema = z.object({ name: text(100) });
export type CreateScimTokenBody = z.input<typeof createScimTokenBodySchema>;

export const digestFrequencySchema = z.enum(['daily', 'weekly', 'never']);
export const workspaceSettingsSchema = z.object({
  name: z.string().max(200),
  digestFrequency: digestFrequencySchema,
  inactiveDays: int32(1, 365),
  publicUrl: z
    .string()
    .max(2000)
    .describe('Where Covey is reached (links in mails, SSO redirects): COVEY_PUBLIC_URL, else this request’s URL; read-only, set in the environment'),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;
export const patchWorkspaceBodySchema = z
  .object({ name: text(200), digestFrequency: digestFrequencySchema, inactiveDays: int32(1, 365) })
  .partial()
  .strict();
export type PatchWorkspaceBody = z.input<typeof patchWorkspaceBodySchema>;

/** RFC 6749 section 5.2: the error codes of the token endpoint. */
export const oauthErrorCodes = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope'] as const;
export type OAuthErrorCode = (typeof oauthErrorCodes)[number];
/** An error of `POST /oauth/token`, as RFC 6749 section 5.2 has it: application/json, not problem+json. */
export const oauthErrorSchema = z
  .object({
    error: z.enum(oauthErrorCodes),
    error_description: z.string().max(500).optional().describe('Words for the developer (RFC 6749 section 5.2)'),
  })
  .meta({ id: 'OAuthError' });
export type OAuthError = z.infer<typeof oauthErrorSchema>;

/** The client credentials grant (RFC 6749 section 4.4): form-encoded (or JSON), client credentials in the body or HTTP Basic. */
export const tokenRequestSchema = z
  .object({
    grant_type: z.string().max(100).regex(ONE_LINE).optional().describe('Must be `client_credentials`'),
    client_id: z.string().max(200).optional(),
    client_secret: z.string().max(500).optional(),
    scope: z.string().max(500).regex(ONE_LINE).optional().describe('Space-separated scopes, among those granted to the client'),
  })
  .meta({ id: 'TokenRequest' });
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

export const tokenResponseSchema = z
  .object({
    access_token: z.string().max(4096).regex(/^[\w-]+\.[\w-]+\.[\w-]+$/).describe('A JWT (RFC 7519)'),
    token_type: z.literal('Bearer'),
    expires_in: int32(0, 86_400),
    scope: z.string().max(500).describe('The granted scopes, space-separated'),
  })
  .meta({ id: 'TokenResponse' });
export type TokenResponse = z.infer<typeof tokenResponseSchema>;
