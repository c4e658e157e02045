import { z } from 'zod';

/** RFC 9457 problem details, as every error of the API is answered. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().describe('Stable machine-readable error code, e.g. `group_not_found`'),
    requestId: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

export const idSchema = z.uuid();
export const isoDate = z.iso.datetime({ offset: true });

/** `{user}` path references: an id, `email:<address>` or `ext:<externalId>`. */
export const userRefSchema = z
  .string()
  .min(1)
  .max(320)
  .describe('User id, `email:<address>` or `ext:<externalId>`');
/** `{group}` path references: an id or `ext:<externalId>`. */
export const groupRefSchema = z.string().min(1).max(255).describe('Group id or `ext:<externalId>`');

export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const booleanQuery = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const userSummarySchema = z
  .object({ id: idSchema, email: z.string(), firstName: z.string(), lastName: z.string() })
  .meta({ id: 'UserSummary' });
export type UserSummary = z.infer<typeof userSummarySchema>;

export const workspaceRoles = ['owner', 'admin', 'trainer', 'learner'] as const;
export const groupRoles = ['learner', 'observer', 'admin'] as const;
export const workspaceRoleSchema = z.enum(workspaceRoles);
export const groupRoleSchema = z.enum(groupRoles);
export type WorkspaceRole = z.infer<typeof workspaceRoleSchema>;
export type GroupRole = z.infer<typeof groupRoleSchema>;

/** Trimmed, non-empty text with an upper bound: what every name-like field accepts. */
export const text = (max: number) => z.string().trim().min(1).max(max);
