import { z } from 'zod';
import { groupRoleSchema, idSchema, text, userSummarySchema } from './common.ts';

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1a2b3c');
export const colorsSchema = z.object({ primary: hexColor.optional(), accent: hexColor.optional() }).strict();

export const groupSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    description: z.string().nullable(),
    parentId: idSchema.nullable(),
    externalId: z.string().nullable(),
    welcomeMessage: z.string().nullable(),
    colors: z.object({ primary: z.string().optional(), accent: z.string().optional() }),
    logoUrl: z.string().nullable(),
    backgroundUrl: z.string().nullable(),
    memberCount: z.number().int(),
    childCount: z.number().int(),
    myRoles: z.array(groupRoleSchema).describe('Roles the caller holds directly in this group'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Group' });
export type Group = z.infer<typeof groupSchema>;

export const createGroupBodySchema = z
  .object({
    name: text(200),
    description: z.string().trim().max(5000).optional(),
    parentId: idSchema.nullable().optional(),
    externalId: z.string().trim().min(1).max(255).optional(),
    welcomeMessage: z.string().trim().max(5000).optional(),
    colors: colorsSchema.optional(),
  })
  .strict();
export type CreateGroupBody = z.input<typeof createGroupBodySchema>;

export const patchGroupBodySchema = z
  .object({
    name: text(200),
    description: z.string().trim().max(5000).nullable(),
    parentId: idSchema.nullable(),
    externalId: z.string().trim().min(1).max(255).nullable(),
    welcomeMessage: z.string().trim().max(5000).nullable(),
    colors: colorsSchema,
  })
  .partial()
  .strict();

export const listGroupsQuerySchema = z.object({
  parentId: z.union([idSchema, z.literal('root')]).optional().describe('A group id, or `root` for top-level groups'),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});

export const memberSchema = z
  .object({
    user: userSummarySchema,
    roles: z.array(groupRoleSchema),
    sources: z.array(z.object({ role: groupRoleSchema, source: z.enum(['manual', 'api', 'scim', 'rule']) })),
  })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof memberSchema>;

export const putMemberBodySchema = z.object({ roles: z.array(groupRoleSchema).max(3) }).strict();
export const listMembersQuerySchema = z.object({
  role: groupRoleSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});
