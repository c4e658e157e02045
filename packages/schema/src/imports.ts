import { z } from 'zod';
import { booleanQuery, count, cursorSchema, idSchema, int32, MAX_REQUEST_TEXT, queryInt, text, timestamp } from './common.ts';

/** A people import takes files of up to this many data rows (and 8 MiB). */
export const MAX_IMPORT_ROWS = 20_000;
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

/**
 * The columns of a people file, in the template's order. Headers are matched without case, spaces, `_` or `-`
 * ("First name", "first_name" and "firstName" are one column); `email` or `externalId` must be there.
 */
export const peopleImportColumns = ['email', 'externalId', 'firstName', 'lastName', 'role', 'groups'] as const;
export type PeopleImportColumn = (typeof peopleImportColumns)[number];
/** Workspace roles a file may give (never owner). */
export const importableRoles = ['learner', 'trainer', 'admin'] as const;

/** What a row does: the dry run says what it would do, the result what it did. */
export const importOutcomes = ['created', 'updated', 'unchanged', 'refused'] as const;
export const importOutcomeSchema = z.enum(importOutcomes);
export type ImportOutcome = z.infer<typeof importOutcomeSchema>;

/** Stable codes of a refused row (problem-like: the web says them in its language). */
export const importRowCodes = [
  'invalid_email',
  'missing_identity',
  'missing_name',
  'invalid_role',
  'invalid_value',
  'unknown_group',
  'ambiguous_group',
  'duplicate_row',
  'rank',
  'email_taken',
  'external_id_conflict',
  'erased',
] as const;

const outcomeCounts = z.object({ created: count(), updated: count(), unchanged: count(), refused: count() });

export const peopleImportSchema = z
  .object({
    id: idSchema,
    status: z.enum(['ready', 'queued', 'running', 'completed', 'failed']).describe('`ready`: analysed, waiting to be applied'),
    fileName: z.string().max(255).nullable(),
    total: int32(0, MAX_IMPORT_ROWS),
    processed: int32(0, MAX_IMPORT_ROWS).describe('Rows applied so far'),
    invite: z.boolean().describe('New people get an invitation mail'),
    plan: outcomeCounts.describe('What the dry run found, row by row'),
    result: outcomeCounts.nullable().describe('What applying did (so far); null before it is applied'),
    createdAt: timestamp(),
    appliedAt: timestamp().nullable(),
    finishedAt: timestamp().nullable(),
  })
  .meta({ id: 'PeopleImport' });
export type PeopleImport = z.infer<typeof peopleImportSchema>;

export const peopleImportRowSchema = z
  .object({
    index: int32(0, MAX_IMPORT_ROWS),
    line: count().describe('Line of the file where the row starts (the header is line 1)'),
    email: z.string().max(MAX_REQUEST_TEXT).nullable(),
    externalId: z.string().max(MAX_REQUEST_TEXT).nullable(),
    firstName: z.string().max(MAX_REQUEST_TEXT).nullable(),
    lastName: z.string().max(MAX_REQUEST_TEXT).nullable(),
    role: z.string().max(MAX_REQUEST_TEXT).nullable(),
    groups: z.array(z.string().max(MAX_REQUEST_TEXT)).max(MAX_REQUEST_TEXT),
    plan: importOutcomeSchema,
    result: importOutcomeSchema.nullable(),
    code: z.string().max(100).nullable().describe('Why the row is refused, e.g. `unknown_group`'),
    message: z.string().max(MAX_REQUEST_TEXT).nullable(),
    changes: z.array(z.string().max(MAX_REQUEST_TEXT)).max(MAX_REQUEST_TEXT).describe('What an update changes: fields, and `+<group>` memberships'),
    userId: idSchema.nullable(),
  })
  .meta({ id: 'PeopleImportRow' });
export type PeopleImportRow = z.infer<typeof peopleImportRowSchema>;

export const peopleImportQuerySchema = z.object({
  fileName: text(255).optional().describe('The name of the uploaded file, shown back'),
});

export const peopleImportRowsQuerySchema = z.object({
  limit: queryInt(1, 1000).default(100),
  cursor: cursorSchema.optional(),
  outcome: importOutcomeSchema.optional().describe('Only rows with this result (once applied) or plan'),
});

export const peopleImportRowsPageSchema = z.object({
  items: z.array(peopleImportRowSchema).max(1000),
  nextCursor: cursorSchema.nullable(),
});

export const applyPeopleImportBodySchema = z
  .object({ invite: z.boolean().default(true).describe('Send new people an invitation mail (not with single sign-on only)') })
  .strict();
export type ApplyPeopleImportBody = z.input<typeof applyPeopleImportBodySchema>;

export const peopleImportTemplateQuerySchema = z.object({ example: booleanQuery.describe('With two example rows') });
