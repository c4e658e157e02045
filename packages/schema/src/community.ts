import { z } from 'zod';
import { MAX_GROUP_NAME } from './groups.ts';
import { MAX_PROGRAM_TITLE } from './programs.ts';
import { count, idSchema, int32, MAX_REQUEST_TEXT, MAX_ROWS, MAX_STRING, ONE_LINE, page, paginationQuery, queryInt, text, timestamp, userSummarySchema } from './common.ts';

/** Bytes of an uploaded file (UPLOAD_MAX_BYTES is configurable, so int64). */
export const fileSize = () => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).meta({ format: 'int64' });
/** A multipart file name lives in a header, and Node caps all headers together at 16 KiB. */
export const MAX_FILE_NAME = 16 * 1024;
/** Mails compose names, excerpts and (digests) every observed group. */
const MAX_MAIL_BODY = MAX_STRING;
/** Reminder messages. */
export const MAX_REMINDER_MESSAGE = 5000;
/** Markdown bodies of posts and comments. */
export const MAX_POST_BODY = 20_000;
/** The HTML a body renders to has no bound of its own: GFM fills the short rows of a table with empty cells, so a
 * 20,000-character body can render to some 10^8 characters. */
export const MAX_POST_HTML = MAX_STRING;

export const postScopeSchema = z.enum(['public', 'group', 'program']);

export const attachmentSchema = z.object({
  id: idSchema,
  url: z.string().max(200).describe('Path of the file'),
  contentType: z.string().max(255),
  size: fileSize(),
  name: z.string().max(MAX_FILE_NAME).nullable(),
});

export const postSchema = z
  .object({
    id: idSchema,
    scope: postScopeSchema,
    groupId: idSchema.nullable(),
    programId: idSchema.nullable(),
    parentId: idSchema.nullable().describe('Set on comments: the post they answer'),
    body: z.string().max(MAX_POST_BODY).describe('The Markdown source'),
    html: z.string().max(MAX_POST_HTML).describe('The body rendered to sanitized HTML: safe to insert into a page'),
    author: userSummarySchema.omit({ email: true }),
    createdAt: timestamp(),
    editedAt: timestamp().nullable(),
    commentCount: count(),
    likeCount: count(),
    likedByMe: z.boolean(),
    attachments: z.array(attachmentSchema).max(10),
    canEdit: z.boolean(),
    canDelete: z.boolean(),
  })
  .meta({ id: 'Post' });
export type Post = z.infer<typeof postSchema>;

export const createPostBodySchema = z
  .object({
    body: text(MAX_POST_BODY),
    attachmentIds: z.array(idSchema).max(10).optional(),
  })
  .strict();
export type CreatePostBody = z.input<typeof createPostBodySchema>;

/** An uploaded attachment, to pass in a post's `attachmentIds`. */
export const uploadedAttachmentSchema = z
  .object({ id: idSchema, contentType: z.string().max(255), size: fileSize(), name: z.string().max(200).nullable() })
  .meta({ id: 'UploadedAttachment' });
export type UploadedAttachment = z.infer<typeof uploadedAttachmentSchema>;

export const patchPostBodySchema = z.object({ body: text(MAX_POST_BODY) }).strict();

export const listPostsQuerySchema = paginationQuery.extend({ limit: queryInt(1, 100).default(20) });

export const notificationSchema = z
  .object({
    id: idSchema,
    type: z.enum(['group_post', 'group_comment', 'program_comment', 'comment_reply', 'reminder', 'webhook_disabled']),
    readAt: timestamp().nullable(),
    createdAt: timestamp(),
    actor: userSummarySchema.omit({ email: true }).nullable(),
    post: z.object({ id: idSchema, excerpt: z.string().max(280) }).nullable(),
    group: z.object({ id: idSchema, name: z.string().max(MAX_GROUP_NAME) }).nullable(),
    program: z.object({ id: idSchema, title: z.string().max(MAX_PROGRAM_TITLE) }).nullable(),
    message: z.string().max(MAX_REQUEST_TEXT).nullable(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notificationSchema>;

export const notificationsPageSchema = page(notificationSchema).extend({ unreadCount: count() });
export const listNotificationsQuerySchema = listPostsQuerySchema.extend({ unread: z.enum(['true', 'false']).optional() });
/** What marking notifications read changed, and how many stay unread. */
export const notificationsReadSchema = z.object({ updated: count(), unreadCount: count() }).meta({ id: 'NotificationsRead' });
export type NotificationsRead = z.infer<typeof notificationsReadSchema>;

/** Mark some notifications read (`ids`) or all of them (`all: true`): one form or the other (oneOf). */
export const markReadBodySchema = z
  .union([
    z.object({ ids: z.array(idSchema).min(1).max(500) }).strict().meta({ title: 'Some' }),
    z.object({ all: z.literal(true) }).strict().meta({ title: 'All' }),
  ])
  .meta({ id: 'MarkNotificationsRead' });
export type MarkNotificationsReadBody = z.infer<typeof markReadBodySchema>;

export const reminderSegmentSchema = z.enum(['inactive', 'not_started', 'behind']);
/** What every reminder carries, whoever it goes to. */
const reminderBase = {
  programId: idSchema.optional(),
  inactiveDays: int32(1, 365).optional().describe('For the inactive segment; default: the workspace setting'),
  message: text(MAX_REMINDER_MESSAGE),
};
/**
 * A reminder goes to chosen learners (`userIds`) or to a segment: `inactive` (for `inactiveDays`), or
 * `not_started` / `behind` in a program (`programId` required). One of three forms, each closed: the API and the
 * document (`anyOf`) refuse a body that names both recipients and a segment, or neither.
 */
export const createReminderBodySchema = z
  .union([
    z.object({ ...reminderBase, userIds: z.array(idSchema).min(1).max(10_000) }).strict().meta({ title: 'To chosen learners' }),
    z.object({ ...reminderBase, segment: z.literal('inactive') }).strict().meta({ title: 'To inactive learners' }),
    z
      .object({ ...reminderBase, programId: idSchema, segment: z.enum(['not_started', 'behind']) })
      .strict()
      .meta({ title: 'To a program segment' }),
  ])
  .meta({ id: 'CreateReminder' });
export type CreateReminderBody = z.output<typeof createReminderBodySchema>;

export const reminderSchema = z
  .object({
    id: idSchema,
    groupId: idSchema,
    programId: idSchema.nullable(),
    segment: reminderSegmentSchema.nullable(),
    message: z.string().max(MAX_REMINDER_MESSAGE),
    recipientCount: count(),
    recipients: z.array(userSummarySchema).max(MAX_ROWS).describe('Every recipient'),
    createdAt: timestamp(),
  })
  .meta({ id: 'Reminder' });

/** The dev mailbox, newest first; `to` filters by recipient. */
export const mailboxQuerySchema = listPostsQuerySchema.extend({ to: z.string().max(320).regex(ONE_LINE).optional() });

export const mailSchema = z.object({
  id: idSchema,
  to: z.string().max(MAX_REQUEST_TEXT),
  subject: z.string().max(MAX_REQUEST_TEXT),
  text: z.string().max(MAX_MAIL_BODY),
  html: z.string().max(MAX_MAIL_BODY),
  kind: z.string().max(100),
  status: z.enum(['queued', 'sent', 'failed']),
  attempts: count(),
  sentAt: timestamp().nullable(),
  createdAt: timestamp(),
});

