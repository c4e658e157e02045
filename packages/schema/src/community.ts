import { z } from 'zod';
import { idSchema, userSummarySchema } from './common.ts';

export const postScopeSchema = z.enum(['public', 'group', 'program']);

export const attachmentSchema = z.object({
  id: idSchema,
  url: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  name: z.string().nullable(),
});

export const postSchema = z
  .object({
    id: idSchema,
    scope: postScopeSchema,
    groupId: idSchema.nullable(),
    programId: idSchema.nullable(),
    parentId: idSchema.nullable().describe('Set on comments: the post they answer'),
    body: z.string().describe('The Markdown source'),
    html: z.string().describe('The body rendered to sanitized HTML: safe to insert into a page'),
    author: userSummarySchema.omit({ email: true }),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    commentCount: z.number().int(),
    likeCount: z.number().int(),
    likedByMe: z.boolean(),
    attachments: z.array(attachmentSchema),
    canEdit: z.boolean(),
    canDelete: z.boolean(),
  })
  .meta({ id: 'Post' });
export type Post = z.infer<typeof postSchema>;

export const createPostBodySchema = z
  .object({
    body: z.string().trim().min(1).max(20_000),
    attachmentIds: z.array(idSchema).max(10).optional(),
  })
  .strict();
export type CreatePostBody = z.input<typeof createPostBodySchema>;

export const patchPostBodySchema = z.object({ body: z.string().trim().min(1).max(20_000) }).strict();

export const listPostsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
});

export const notificationSchema = z
  .object({
    id: idSchema,
    type: z.enum(['group_post', 'program_comment', 'comment_reply', 'reminder', 'webhook_disabled']),
    readAt: z.string().nullable(),
    createdAt: z.string(),
    actor: userSummarySchema.omit({ email: true }).nullable(),
    post: z.object({ id: idSchema, excerpt: z.string() }).nullable(),
    group: z.object({ id: idSchema, name: z.string() }).nullable(),
    program: z.object({ id: idSchema, title: z.string() }).nullable(),
    message: z.string().nullable(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notificationSchema>;

export const notificationsPageSchema = z.object({
  items: z.array(notificationSchema),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int(),
});

export const markReadBodySchema = z
  .object({ ids: z.array(idSchema).min(1).max(500).optional(), all: z.literal(true).optional() })
  .strict()
  .refine((b) => (b.ids ? !b.all : b.all), { message: 'send either ids or all: true' });

export const reminderSegmentSchema = z.enum(['inactive', 'not_started', 'behind']);
export const createReminderBodySchema = z
  .object({
    programId: idSchema.optional(),
    userIds: z.array(idSchema).min(1).max(10_000).optional(),
    segment: reminderSegmentSchema.optional(),
    inactiveDays: z.number().int().min(1).max(365).optional().describe('For the inactive segment; default: the workspace setting'),
    message: z.string().trim().min(1).max(5000),
  })
  .strict()
  .refine((b) => Boolean(b.userIds) !== Boolean(b.segment), { message: 'send either userIds or segment', path: ['segment'] })
  .refine((b) => b.segment !== 'behind' && b.segment !== 'not_started' ? true : Boolean(b.programId), {
    message: 'this segment needs a programId',
    path: ['programId'],
  });

export const reminderSchema = z
  .object({
    id: idSchema,
    groupId: idSchema,
    programId: idSchema.nullable(),
    segment: reminderSegmentSchema.nullable(),
    message: z.string(),
    recipientCount: z.number().int(),
    recipients: z.array(userSummarySchema),
    createdAt: z.string(),
  })
  .meta({ id: 'Reminder' });

export const mailSchema = z.object({
  id: idSchema,
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  kind: z.string(),
  status: z.enum(['queued', 'sent', 'failed']),
  attempts: z.number().int(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
});

