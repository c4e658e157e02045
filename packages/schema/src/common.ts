import { z } from 'zod';

/*
 * Bounds. Inputs are validated by these schemas, and so are responses (on serialization): a bound of a response
 * holds for anything the API stores, so it is at least the bound of every input that writes the field.
 */

/** The JSON request body limit. Text that only SCIM writes (a user's title, department, externalId...) has no
 * other bound: no string that came in one request is longer. */
export const MAX_REQUEST_TEXT = 1024 * 1024;
/** V8's longest string: the bound of text the API composes without one of its own (a digest of every group). */
export const MAX_STRING = 536_870_888;
/** Lists answered whole, not paginated (a user's groups, the webhooks...): bounded by nothing but their table. */
export const MAX_ROWS = 2_147_483_647;
const INT32_MAX = 2_147_483_647;

/** An int32 between min and max. */
export const int32 = (min = 0, max = INT32_MAX) => z.number().int().min(min).max(max).meta({ format: 'int32' });
/** A count of rows, or any other non-negative int32. */
export const count = () => int32(0, INT32_MAX);
/** An integer query parameter (query strings are text, coerced). */
export const queryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max).meta({ format: 'int32' });
/** A timestamp the API answers: ISO 8601 in UTC, as Date#toISOString writes it. */
export const timestamp = () => z.string().max(32).meta({ format: 'date-time' });
/** An e-mail address the API answers (at most 320 characters, RFC 5321). */
export const emailOut = () => z.string().max(320).meta({ format: 'email' });

/** The longest `field` and `message` of a problem's `errors[]`: what quotes the request (a key) is cut there. */
export const MAX_ERROR_TEXT = 2000;

/** RFC 9457 problem details, as every error of the API is answered. */
export const problemSchema = z
  .object({
    type: z.string().max(200).meta({ format: 'uri' }),
    title: z.string().max(100),
    status: int32(400, 599),
    detail: z.string().max(MAX_REQUEST_TEXT).optional().describe('May quote the request'),
    instance: z.string().max(MAX_REQUEST_TEXT).optional().describe('The path of the request'),
    code: z.string().max(100).regex(/^[a-z0-9_]+$/).describe('Stable machine-readable error code, e.g. `group_not_found`'),
    requestId: z.string().max(MAX_REQUEST_TEXT).optional().describe('The request id (X-Request-Id)'),
    errors: z
      .array(z.object({ field: z.string().max(MAX_ERROR_TEXT), message: z.string().max(MAX_ERROR_TEXT) }))
      // One per invalid value of the request: never more than the bytes of the largest body (8 MiB, bulk).
      .max(8 * MAX_REQUEST_TEXT)
      .optional(),
  })
  // RFC 9457 extension members may follow, e.g. `error` and `error_description` of OAuth errors (RFC 6749).
  .loose()
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

/**
 * Text as the API takes it: no control character but tab, LF and CR, nor DEL. PostgreSQL refuses NUL in text, and
 * none of the others is anyone's writing. One line (references, keys, searches, cursors) refuses tab, LF and CR too.
 * Both the validation and the document (`pattern`) carry them.
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const FREE_TEXT = /^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$/;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const ONE_LINE = /^[^\x00-\x1F\x7F]*$/;
/** Free text (Markdown, descriptions, passwords) of at most max characters. */
export const freeText = (max: number) => z.string().max(max).regex(FREE_TEXT);
/** An id or key in a path: one line of 1 to 64 characters (a malformed one is refused, an unknown one is a 404). */
export const pathId = () => z.string().min(1).max(64).regex(ONE_LINE);

export const idSchema = z.uuid().max(36);
export const isoDate = z.iso.datetime({ offset: true }).max(40);

/** `{user}` path references: an id, `email:<address>` or `ext:<externalId>`. */
export const userRefSchema = z
  .string()
  .min(1)
  .max(320)
  .regex(ONE_LINE)
  .describe('User id, `email:<address>` or `ext:<externalId>`');
/** `{group}` path references: an id or `ext:<externalId>`. */
export const groupRefSchema = z.string().min(1).max(255).regex(ONE_LINE).describe('Group id or `ext:<externalId>`');

/** Opaque cursors carry the sort key of the last item (a name, an e-mail): up to 4 KiB. */
export const MAX_CURSOR = 4096;
export const cursorSchema = z.string().max(MAX_CURSOR).regex(ONE_LINE);

export const paginationQuery = z.object({
  limit: queryInt(1, 100).default(25),
  cursor: cursorSchema.optional(),
});

/** A page of a list: at most maxItems items (the largest `limit` the list accepts; MAX_ROWS for unpaginated lists). */
export const page = <T extends z.ZodType>(item: T, maxItems = 100) =>
  z.object({ items: z.array(item).max(maxItems), nextCursor: cursorSchema.nullable() });
/** A page of `item`s as it comes over the wire. */
export type PageOf<T extends z.ZodType> = z.infer<ReturnType<typeof page<T>>>;

export const booleanQuery = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

/** `?dryRun=true`: answer what the request would do, and do nothing. */
export const dryRunQuerySchema = z.object({ dryRun: booleanQuery.describe('Answer what would happen; change nothing') });

/** Bounds of names as stored: the API takes 100 characters, SCIM 200. */
export const MAX_PERSON_NAME = 200;
export const personName = () => z.string().max(MAX_PERSON_NAME);

export const userSummarySchema = z
  .object({ id: idSchema, email: emailOut(), firstName: personName(), lastName: personName() })
  .meta({ id: 'UserSummary' });
export type UserSummary = z.infer<typeof userSummarySchema>;

export const workspaceRoles = ['owner', 'admin', 'trainer', 'learner'] as const;
export const groupRoles = ['learner', 'observer', 'admin'] as const;
export const workspaceRoleSchema = z.enum(workspaceRoles);

/** What every answer about an account starts with (a person as an admin sees them, or oneself). */
export const accountFields = () => ({
  id: idSchema,
  email: emailOut(),
  firstName: personName(),
  lastName: personName(),
  role: workspaceRoleSchema,
});
export const groupRoleSchema = z.enum(groupRoles);
export type WorkspaceRole = z.infer<typeof workspaceRoleSchema>;
export type GroupRole = z.infer<typeof groupRoleSchema>;

/**
 * The document's pattern of `text()`: free text (FREE_TEXT's characters) with at least one that is not white space.
 * The API refused a NUL in such a field only when PostgreSQL did (400 from the database), which the document did not say.
 */
const FREE = FREE_TEXT.source.slice('^[^'.length, -']*$'.length); // FREE_TEXT's refused characters
const TEXT_PATTERN = `^[^${FREE}]*[^\\s${FREE}][^${FREE}]*$`;
/**
 * Trimmed, non-empty text with an upper bound: what every name-like field accepts. The document says it as
 * "at least one character that is not white space" (the characters String#trim removes are those `\s` matches),
 * so a blank string is refused by both; like free text, it refuses control characters but tab, LF and CR.
 */
export const text = (max: number) => z.string().trim().min(1).max(max).regex(FREE_TEXT).meta({ pattern: TEXT_PATTERN });
