import { z } from 'zod';
import {
  accountFields,
  booleanQuery,
  count,
  cursorSchema,
  freeText,
  groupRefSchema,
  groupRoles,
  groupRoleSchema,
  idSchema,
  MAX_REQUEST_TEXT,
  ONE_LINE,
  queryInt,
  text,
  timestamp,
  workspaceRoleSchema,
} from './common.ts';
import { MAX_GROUP_NAME } from './groups.ts';
import { notifyEmailSchema } from './auth.ts';

const attributeKey = z.string().max(64).regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/, 'letters, digits, _ . - (max 64)');
export const attributesSchema = z.record(attributeKey, z.string().max(500).regex(ONE_LINE)).refine((a) => Object.keys(a).length <= 50, {
  message: 'at most 50 attributes',
});

export const userSchema = z
  .object({
    ...accountFields(),
    status: z.enum(['active', 'deactivated']),
    state: z
      .enum(['invited', 'active', 'deactivated'])
      .describe('`invited`: active but has never chosen a password nor signed in'),
    invitation: z
      .object({ expiresAt: timestamp() })
      .nullable()
      .describe('The pending invitation link, if one is valid'),
    // The fields SCIM also writes are bounded by its request body only.
    externalId: z.string().max(MAX_REQUEST_TEXT).nullable(),
    locale: z.string().max(35).describe('BCP 47 language tag, e.g. `en`'),
    department: z.string().max(MAX_REQUEST_TEXT).nullable(),
    country: z.string().max(MAX_REQUEST_TEXT).nullable(),
    title: z.string().max(MAX_REQUEST_TEXT).nullable(),
    managerId: idSchema.nullable(),
    attributes: z.record(z.string().max(64), z.string().max(MAX_REQUEST_TEXT)),
    notifyEmail: notifyEmailSchema,
    lastLoginAt: timestamp().nullable(),
    lastActivityAt: timestamp().nullable(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

const email = z.email().max(320).transform((e) => e.toLowerCase());
const externalId = text(255);
const profile = {
  locale: z.enum(['en', 'fr']).optional(),
  department: z.string().trim().max(200).regex(ONE_LINE).nullable().optional(),
  country: z.string().trim().max(100).regex(ONE_LINE).nullable().optional(),
  title: z.string().trim().max(200).regex(ONE_LINE).nullable().optional(),
  managerId: idSchema.nullable().optional(),
  attributes: attributesSchema.optional(),
  notifyEmail: notifyEmailSchema.optional(),
};

export const userGroupInputSchema = z.object({ group: groupRefSchema, role: groupRoleSchema.default('learner') });

export const createUserBodySchema = z
  .object({
    email,
    firstName: text(100),
    lastName: text(100),
    role: workspaceRoleSchema.default('learner'),
    externalId: externalId.optional(),
    password: freeText(256).min(10).optional().describe('An initial password; without one, the person is invited'),
    invite: z
      .boolean()
      .optional()
      .describe('Without a password, an invitation mail is sent unless this is false (or single sign-on only is on)'),
    groups: z.array(userGroupInputSchema).max(100).optional(),
    ...profile,
  })
  .strict();
export type CreateUserBody = z.input<typeof createUserBodySchema>;

export const patchUserBodySchema = z
  .object({
    email,
    firstName: text(100),
    lastName: text(100),
    role: workspaceRoleSchema,
    status: z.enum(['active', 'deactivated']),
    externalId: externalId.nullable(),
    password: freeText(256).min(10),
    ...profile,
  })
  .partial()
  .strict();

/** Upsert by externalId: `role` is only defaulted (to learner) when the user is created, never reset on update. */
export const upsertUserBodySchema = createUserBodySchema
  .omit({ externalId: true, role: true })
  .extend({ role: workspaceRoleSchema.optional() })
  .strict();

export const listUsersQuerySchema = z.object({
  q: z.string().trim().max(200).regex(ONE_LINE).optional(),
  role: workspaceRoleSchema.optional(),
  status: z.enum(['active', 'deactivated']).optional(),
  group: groupRefSchema
    .optional()
    .describe('Only people with a role (learner, observer or admin) in this group or any group below it: an id or `ext:<externalId>`'),
  limit: queryInt(1, 100).default(25),
  cursor: cursorSchema.optional(),
});

export const userGroupItemSchema = z.object({
  group: z.object({ id: idSchema, name: z.string().max(MAX_GROUP_NAME), parentId: idSchema.nullable() }),
  roles: z.array(groupRoleSchema).max(groupRoles.length),
});

export const deactivateUserQuerySchema = z.object({ erase: booleanQuery, dryRun: booleanQuery });

/** What deactivating (or erasing) a person would end and keep (`dryRun`). */
export const deactivationPreviewSchema = z
  .object({
    dryRun: z.literal(true),
    erase: z.boolean(),
    activeSessions: count().describe('Sessions that would be signed out'),
    groups: count().describe('Groups they belong to (memberships are kept)'),
    enrollments: count().describe('Enrollments kept with their progress'),
  })
  .meta({ id: 'DeactivationPreview' });
export type DeactivationPreview = z.infer<typeof deactivationPreviewSchema>;
