/**
 * The bare baseline of P1: Fastify + pg (no auth, no policy, no ORM) serving the very SQL of a group feed page.
 * PORT, DATABASE_URL, BASELINE_VIEWER and BASELINE_GROUP come from the bench runner.
 */
import Fastify from 'fastify';
import pg from 'pg';

// The server settings the API uses (no JIT, as src/db/database.ts sets it): the same SQL on the same settings.
const withoutJit = ((client: pg.ClientBase) => client.query('SET jit = off')) as (client: pg.ClientBase) => void;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, onConnect: withoutJit });
const viewer = process.env.BASELINE_VIEWER!;
const app = Fastify({ logger: false });

// Identical to selectPosts() in src/modules/posts/posts.repository.ts for a group's first page.
const sql = `
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
  LIMIT $3`;

app.get<{ Params: { group: string } }>('/feed/:group', async (request) => {
  const { rows } = await pool.query(sql, [viewer, request.params.group, 21]);
  return { items: rows.slice(0, 20), nextCursor: rows.length > 20 ? 'more' : null };
});

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('baseline ready');
