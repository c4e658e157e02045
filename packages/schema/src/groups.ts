import { z } from 'zod';
import { booleanQuery, count, cursorSchema, FREE_TEXT, groupRoles, groupRoleSchema, idSchema, MAX_REQUEST_TEXT, ONE_LINE, queryInt, text, timestamp, userSummarySchema } from './common.ts';

export const MAX_GROUP_NAME = 200;
const MAX_GROUP_TEXT = 5000;

const hexColor = z.string().max(7).regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1a2b3c');
export const colorsSchema = z.object({ primary: hexColor.optional(), accent: hexColor.optional() }).strict();
/** A change of colours: a key left out stays as it is; `null` unsets it, so the colour is inherited again. */
const colorsPatchSchema = z
  .object({ primary: hexColor.nullable().optional(), accent: hexColor.nullable().optional() })
  .strict()
  .describe('Keys left out stay as they are; `null` unsets a colour, which is then inherited from the nearest ancestor that sets it');

/** One piece of branding as shown, and the group it comes from (this one, or the nearest ancestor that sets it). */
const brandingValue = z
  .object({ value: z.string().max(200), from: z.object({ id: idSchema, name: z.string().max(MAX_GROUP_NAME) }) })
  .nullable();
export const brandingSchema = z
  .object({ primary: brandingValue, accent: brandingValue, logoUrl: brandingValue, backgroundUrl: brandingValue })
  .meta({ id: 'GroupBranding' });
export type GroupBranding = z.infer<typeof brandingSchema>;

export const groupSchema = z
  .object({
    id: idSchema,
    name: z.string().max(MAX_GROUP_NAME),
    description: z.string().max(MAX_GROUP_TEXT).nullable(),
    parentId: idSchema.nullable(),
    externalId: z.string().max(MAX_REQUEST_TEXT).nullable().describe('Up to 255 characters through this API; SCIM sets it too'),
    welcomeMessage: z.string().max(MAX_GROUP_TEXT).nullable(),
    colors: z
      .object({ primary: hexColor.optional(), accent: hexColor.optional() })
      .describe('The colours set on this group itself (unset ones are inherited: see `branding`)'),
    logoUrl: z.string().max(200).nullable().describe('Path of the image set on this group itself'),
    backgroundUrl: z.string().max(200).nullable().describe('Path of the image set on this group itself'),
    branding: brandingSchema.describe(
      'What the group shows: each colour and image from the group itself or, unset there, from its nearest ancestor that sets it; null when none does',
    ),
    inheritedBranding: brandingSchema.describe('What the group would show with nothing set on itself: from its ancestors'),
    memberCount: count(),
    childCount: count(),
    myRoles: z.array(groupRoleSchema).max(groupRoles.length).describe('Roles the caller holds directly in this group'),
    canManage: z
      .boolean()
      .describe('The caller may change the group (settings, branding, members, subgroups): admins, groups:write, its group admins and those of an ancestor'),
    canDelete: z
      .boolean()
      .describe('The caller may delete the group (once it has no subgroups): admins, groups:write, group admins of a strict ancestor'),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .meta({ id: 'Group' });
export type Group = z.infer<typeof groupSchema>;

export const createGroupBodySchema = z
  .object({
    name: text(MAX_GROUP_NAME),
    description: z.string().trim().max(MAX_GROUP_TEXT).regex(FREE_TEXT).optional(),
    parentId: idSchema.nullable().optional(),
    externalId: text(255).optional(),
    welcomeMessage: z.string().trim().max(MAX_GROUP_TEXT).regex(FREE_TEXT).optional(),
    colors: colorsSchema.optional(),
  })
  .strict();
export type CreateGroupBody = z.input<typeof createGroupBodySchema>;

export const patchGroupBodySchema = z
  .object({
    name: text(MAX_GROUP_NAME),
    description: z.string().trim().max(MAX_GROUP_TEXT).regex(FREE_TEXT).nullable(),
    parentId: idSchema.nullable(),
    externalId: text(255).nullable(),
    welcomeMessage: z.string().trim().max(MAX_GROUP_TEXT).regex(FREE_TEXT).nullable(),
    colors: colorsPatchSchema,
  })
  .partial()
  .strict();

export const listGroupsQuerySchema = z.object({
  parentId: z
    .string()
    .max(36)
    .regex(/^(root|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/, 'a group id or `root`')
    .optional()
    .describe('A group id, or `root` for top-level groups'),
  q: z.string().trim().max(200).regex(ONE_LINE).optional(),
  manageable: booleanQuery.describe(
    'Only the groups the caller may manage: every group for admins and groups:write clients, the groups a group admin administers and every group below them, none for anyone else',
  ),
  outside: idSchema
    .optional()
    .describe('Leave out this group and every group below it (the places a group may move to); a group the caller does not see answers 422'),
  limit: queryInt(1, 100).default(50),
  cursor: cursorSchema.optional(),
});

export const memberSchema = z
  .object({
    user: userSummarySchema,
    roles: z.array(groupRoleSchema).max(groupRoles.length),
    sources: z
      .array(z.object({ role: groupRoleSchema, source: z.enum(['manual', 'api', 'scim', 'rule']) }))
      .max(groupRoles.length)
      .describe('Where each role comes from (a user holds a role once per group)'),
  })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof memberSchema>;

export const putMemberBodySchema = z.object({ roles: z.array(groupRoleSchema).max(3) }).strict();
export const listMembersQuerySchema = z.object({
  role: groupRoleSchema.optional(),
  limit: queryInt(1, 100).default(50),
  cursor: cursorSchema.optional(),
});

/** A group named in another answer. */
export const groupSummarySchema = z
  .object({ id: idSchema, name: z.string().max(MAX_GROUP_NAME) })
  .meta({ id: 'GroupSummary' });
export type GroupSummary = z.infer<typeof groupSummarySchema>;

/** Someone who follows a group: an observer of it, or (`via`) of one of its ancestors. */
export const groupObserverSchema = z
  .object({
    user: userSummarySchema,
    via: groupSummarySchema.nullable().describe('The ancestor group they observe; null when they observe this group'),
  })
  .meta({ id: 'GroupObserver' });
export type GroupObserver = z.infer<typeof groupObserverSchema>;

export const removeMemberQuerySchema = z.object({ role: groupRoleSchema.optional(), dryRun: booleanQuery });

/** What removing a member did (or, with `dryRun`, would do). */
export const memberRemovalSchema = z
  .object({
    dryRun: z.boolean(),
    removed: z.array(groupRoleSchema).max(groupRoles.length),
    withdrawn: count().describe('Enrollments not started that are (or would be) withdrawn'),
  })
  .meta({ id: 'MemberRemoval' });
export type MemberRemoval = z.infer<typeof memberRemovalSchema>;

/** What deleting a group would do (`dryRun`): a group with subgroups cannot be deleted. */
export const groupDeletionSchema = z
  .object({
    dryRun: z.literal(true),
    members: count().describe('People who hold a role in the group'),
    subgroups: count().describe('Subgroups, which must be moved or deleted first'),
    withdrawn: count().describe('Enrollments not started that would be withdrawn'),
  })
  .meta({ id: 'GroupDeletion' });
export type GroupDeletion = z.infer<typeof groupDeletionSchema>;

/** What setting someone's roles in a group did: the roles they hold now, and the enrollments it changed. */
export const memberRolesResultSchema = z.object({
  userId: idSchema,
  groupId: idSchema,
  roles: z.array(groupRoleSchema).max(groupRoles.length),
  added: z.array(groupRoleSchema).max(groupRoles.length),
  removed: z.array(groupRoleSchema).max(groupRoles.length),
  enrolled: count().describe('Enrollments created by this change'),
  withdrawn: count().describe('Unstarted enrollments withdrawn by this change'),
});
export type MemberRolesResult = z.infer<typeof memberRolesResultSchema>;

/** A group I belong to (`/me/groups`), with my roles in it. */
export const myGroupSchema = z.object({
  id: idSchema,
  name: z.string().max(200),
  description: z.string().max(5000).nullable(),
  parentId: idSchema.nullable(),
  logoUrl: z.string().max(200).nullable().describe('Path of the image'),
  colors: z.record(z.string().max(20), z.string().max(7)).describe('`primary` and `accent`, like #1a2b3c'),
  roles: z.array(groupRoleSchema).max(groupRoles.length),
});
export type MyGroup = z.infer<typeof myGroupSchema>;
