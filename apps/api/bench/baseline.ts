/**
 * The bare baselines of P1: Fastify + pg (no auth, no policy, no ORM) serving the very SQL of a group feed page, on
 * a pool with the API's size and settings (src/db/database.ts: 10 connections, JIT off, no parallel workers, 3 s connect timeout).
 * - `/feed/:group`, the old baseline: an unnamed statement with `LIMIT $3`, which PostgreSQL plans on every call.
 * - `/fair/:group`, the fair baseline: the same SQL at its best, a named prepared statement (parsed and planned once
 *   per connection) with its limit in the text: the very statement Covey runs for a reader whose group facts it knows
 *   (selectGroupPostsPage; a reader it does not know yet costs Covey the facts as well, in the same statement).
 * PORT, DATABASE_URL and BASELINE_VIEWER come from the bench runner.
 */
import Fastify from 'fastify';
import pg from 'pg';
import { sessionSettings } from '../src/db/database.ts';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 3_000,
  onConnect: sessionSettings(),
});
const viewer = process.env.BASELINE_VIEWER!;
const app = Fastify({ logger: false });

// Identical to postsPageSql() in src/modules/posts/posts.repository.ts for a group's first page.
const page = (limit: string) => `
  SELECT p.id::text, p.scope::text, p.group_id::text, p.program_id::text, p.parent_id::text, p.body, p.body_html,
    p.created_at, p.edited_at, p.comment_count, p.like_count,
    u.id::text AS author_id, u.first_name, u.last_name,
    EXISTS (SELECT 1 FROM reactions r WHERE r.post_id = p.id AND r.user_id = $1::uuid) AS liked,
    COALESCE((
      SELECT json_agg(json_build_object('id', f.id, 'contentType', f.content_type, 'size', f.size, 'name', f.name) ORDER BY f.created_at)
      FROM attachments a JOIN files f ON f.id = a.file_id WHERE a.post_id = p.id
    ), '[]'::json) AS attachments
  FROM posts p JOIN users u ON u.id = p.author_id
  WHERE p.deleted_at IS NULL AND p.group_id = $2::uuid AND p.parent_id IS NULL
  ORDER BY p.created_at DESC, p.id DESC
  LIMIT ${limit}`;
const unnamed = page('$3');
const prepared = { name: 'bench_feed_page', text: page('21') };

const answer = (rows: unknown[]) => ({ items: rows.slice(0, 20), nextCursor: rows.length > 20 ? 'more' : null });
app.get<{ Params: { group: string } }>('/feed/:group', async (request) =>
  answer((await pool.query(unnamed, [viewer, request.params.group, 21])).rows),
);
app.get<{ Params: { group: string } }>('/fair/:group', async (request) =>
  answer((await pool.query({ ...prepared, values: [viewer, request.params.group] })).rows),
);

// A normal exit on SIGTERM, so that a profiled run (`node --cpu-prof`, bench/profile.ts) writes its profile.
process.once('SIGTERM', () => process.exit(0));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('baseline ready');
