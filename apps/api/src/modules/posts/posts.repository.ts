import type { Post } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { groupFactsCte, toGroupFacts, type GroupFactRow, type GroupFacts } from '../../policy/facts.ts';
import type { Db, Prepared } from '../../db/sql.ts';
import { apiTime } from '../../db/timestamps.ts';

export type PostRow = {
  id: string;
  scope: 'public' | 'group' | 'program';
  group_id: string | null;
  program_id: string | null;
  parent_id: string | null;
  body: string;
  body_html: string;
  /** A Date from Prisma's raw reads, ISO text from the prepared one (db/timestamps.ts). */
  created_at: Date | string;
  edited_at: Date | string | null;
  comment_count: number;
  like_count: number;
  author_id: string;
  first_name: string;
  last_name: string;
  liked: boolean;
  attachments: { id: string; contentType: string; size: number; name: string | null }[];
};

/**
 * One page of posts in one query: author, like state and attachments come with each row (no N+1). Keyset
 * pagination on (created_at, id), newest first, so rows inserted meanwhile never shift a page.
 */
type PageOptions = { viewerId: string; where: Prisma.Sql; after?: [string, string]; limit: number };

export async function selectPosts(db: Db, opts: PageOptions): Promise<PostRow[]> {
  return db.$queryRaw<PostRow[]>(postsPageSql(opts));
}

/**
 * A group space's page and the reader's facts about the group in one round trip: the caller applies the policy to
 * the facts and discards the rows when it denies (the page is read speculatively, never returned unchecked).
 */
export async function selectGroupPage(
  db: Prepared,
  opts: Omit<PageOptions, 'where'> & { groupId: string },
): Promise<{ facts: GroupFacts; rows: PostRow[] }> {
  const rows = await db.prepared<PostRow & { facts: GroupFactRow[] | null }>(groupPageStatement(opts));
  // The page's rows, then one row of facts (UNION ALL keeps them apart: the facts are parsed once, not per post).
  const posts: PostRow[] = [];
  let facts: GroupFactRow[] = [];
  for (const row of rows) {
    if (row.id === null) facts = row.facts ?? [];
    else posts.push(row);
  }
  // The page comes in its own order (the first branch of the UNION ALL, read in order); checked here rather than
  // sorted again by the statement, a sort that cost 15% of it.
  for (let i = 1; i < posts.length; i++) {
    if (newestFirst(posts[i - 1]!, posts[i]!) >= 0) {
      posts.sort(newestFirst);
      break;
    }
  }
  return { facts: toGroupFacts(facts), rows: posts };
}

type GroupPageOptions = Omit<PageOptions, 'where'> & { groupId: string };
type Slot = (opts: GroupPageOptions) => unknown;

/**
 * The statements of a group space's page by shape (with the facts or not; page size; first page or not): the text is built once per shape,
 * with markers where the values go, and each call fills the values in (building the text again, and hashing it to
 * find its prepared statement, was a twentieth of a page's own work).
 */
const groupPageShapes = new Map<string, { text: string; slots: Slot[] }>();
const VIEWER = '\u0000viewer';
const GROUP = '\u0000group';
const AFTER_ID = '\u0000after';

export const groupPageStatement = (opts: GroupPageOptions) => groupStatement(opts, true);

/**
 * A group space's page alone, for a reader whose facts are known (GroupFactsCache) and were checked: the statement of
 * the bare page (the bench's fair baseline runs this very text).
 */
export async function selectGroupPostsPage(db: Prepared, opts: GroupPageOptions): Promise<PostRow[]> {
  return db.prepared<PostRow>(groupStatement(opts, false));
}

function groupStatement(opts: GroupPageOptions, withFacts: boolean): { text: string; values: unknown[] } {
  const key = `${withFacts ? 'facts' : 'page'}:${opts.limit}:${opts.after ? 'after' : 'first'}`;
  let shape = groupPageShapes.get(key);
  if (!shape) {
    const after: [string, string] | undefined = opts.after ? [new Date(0).toISOString(), AFTER_ID] : undefined;
    const page = postsPageSql({ viewerId: VIEWER, limit: opts.limit, after, where: Prisma.sql`p.group_id = ${GROUP}::uuid AND p.parent_id IS NULL` });
    const sql = withFacts ? groupPageSql(VIEWER, GROUP, page) : page;
    const slots = sql.values.map((value): Slot => {
      if (value === VIEWER) return (o) => o.viewerId;
      if (value === GROUP) return (o) => o.groupId;
      if (value === AFTER_ID) return (o) => o.after![1];
      if (value instanceof Date) return (o) => new Date(o.after![0]);
      throw new Error(`an unexpected value in the group page statement: ${String(value)}`);
    });
    shape = { text: sql.text, slots };
    if (groupPageShapes.size < 1_000) groupPageShapes.set(key, shape);
  }
  return { text: shape.text, values: shape.slots.map((slot) => slot(opts)) };
}

/**
 * The order of a page: newest first, then by id (text order of lower-case UUIDs is their order). Times compare as the
 * API writes them, ISO text of one width, whose text order is their order.
 */
const newestFirst = (a: PostRow, b: PostRow) => {
  const x = apiTime(a.created_at);
  const y = apiTime(b.created_at);
  return (x < y ? 1 : x > y ? -1 : 0) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
};

/** A row of NULLs as wide as a page's (the facts row of groupPageSql); the statement fails if they ever differ. */
const NULL_POST = Prisma.raw(Array.from({ length: 16 }, () => 'NULL').join(', '));

/** The statement of selectGroupPage (also checked with EXPLAIN in the tests). */
export const groupPageSql = (viewerId: string, groupId: string, page: Prisma.Sql) => Prisma.sql`
  WITH RECURSIVE ${groupFactsCte(viewerId, groupId)}
  SELECT page.*, NULL::json AS facts FROM (${page}) page
  UNION ALL
  SELECT ${NULL_POST}, (SELECT COALESCE(json_agg(json_build_object('depth', depth, 'role', role)), '[]'::json) FROM group_facts)`;

/**
 * The page query itself (also checked with EXPLAIN in the tests: index scans only). The limit is written into the
 * text, not bound: with `LIMIT $n` the planner prices a generic plan as if a tenth of the table came back, so
 * PostgreSQL re-planned the prepared statement of selectGroupPage at every execution (0.6 ms, three times the run).
 * A page size is one of a hundred values, so the texts stay few.
 */
export function postsPageSql(opts: PageOptions): Prisma.Sql {
  if (!Number.isSafeInteger(opts.limit) || opts.limit < 1) throw new RangeError(`a page limit, not ${opts.limit}`);
  return Prisma.sql`
    SELECT p.id::text, p.scope::text, p.group_id::text, p.program_id::text, p.parent_id::text, p.body, p.body_html,
      p.created_at, p.edited_at, p.comment_count, p.like_count,
      u.id::text AS author_id, u.first_name, u.last_name,
      EXISTS (SELECT 1 FROM reactions r WHERE r.post_id = p.id AND r.user_id = ${opts.viewerId}::uuid) AS liked,
      COALESCE((
        SELECT json_agg(json_build_object('id', f.id, 'contentType', f.content_type, 'size', f.size, 'name', f.name) ORDER BY f.created_at)
        FROM attachments a JOIN files f ON f.id = a.file_id WHERE a.post_id = p.id
      ), '[]'::json) AS attachments
    FROM posts p JOIN users u ON u.id = p.author_id
    WHERE p.deleted_at IS NULL AND ${opts.where}
      ${opts.after ? Prisma.sql`AND (p.created_at, p.id) < (${new Date(opts.after[0])}::timestamptz, ${opts.after[1]}::uuid)` : Prisma.empty}
    ORDER BY p.created_at DESC, p.id DESC
    LIMIT ${Prisma.raw(String(opts.limit))}`;
}

export function toPost(row: PostRow, perms: { canEdit: boolean; canDelete: boolean }): Post {
  return {
    id: row.id,
    scope: row.scope,
    groupId: row.group_id,
    programId: row.program_id,
    parentId: row.parent_id,
    body: row.body,
    html: row.body_html,
    author: { id: row.author_id, firstName: row.first_name, lastName: row.last_name },
    createdAt: apiTime(row.created_at),
    editedAt: row.edited_at ? apiTime(row.edited_at) : null,
    commentCount: row.comment_count,
    likeCount: row.like_count,
    likedByMe: row.liked,
    attachments: row.attachments.map((a) => ({
      id: a.id,
      url: `/api/v1/posts/${row.id}/attachments/${a.id}`,
      contentType: a.contentType,
      size: a.size,
      name: a.name,
    })),
    ...perms,
  };
}
