/**
 * `pnpm seed:scale --users 100000 --groups 2000 --programs 200 --posts 1000000` on the PostgreSQL server given by
 * DATABASE_URL: a realistic workspace (a three-level group tree, learners and observers, assignments and the
 * enrollments they imply, progress, posts and comments, activity), written set-based. Prints its own time.
 */
import { parseArgs } from 'node:util';
import { ensureWorkspace } from '../src/db/bootstrap.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { reconcileEnrollments } from '../src/modules/enrollments/enrollment-engine.ts';
import { Prisma } from '../src/generated/prisma/client.ts';

const { values } = parseArgs({
  // `pnpm seed:scale -- --users …` passes the `--` through: ignore it.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    users: { type: 'string', default: '100000' },
    groups: { type: 'string', default: '2000' },
    programs: { type: 'string', default: '200' },
    posts: { type: 'string', default: '1000000' },
    observers: { type: 'string', default: '1000' },
  },
});
const n = (k: keyof typeof values) => Number(values[k]);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('seed:scale needs DATABASE_URL (a PostgreSQL server).');
  process.exit(2);
}

const started = performance.now();
const db = await openDatabase({ url, poolSize: 4 });
const step = async (label: string, sql: string, params: unknown[] = []) => {
  const t0 = performance.now();
  await db.query(sql, params);
  console.log(`  ${label.padEnd(34)} ${Math.round(performance.now() - t0)} ms`);
};
try {
  await migrate(db);
  await ensureWorkspace(db);
  const users = n('users');
  const groups = n('groups');
  const roots = Math.max(1, Math.round(groups / 100));
  const mids = Math.max(1, Math.round(groups / 10));
  const leaves = Math.max(1, groups - roots - mids);
  console.log(`Seeding ${users} users, ${groups} groups, ${n('programs')} programs, ${n('posts')} posts…`);
  await step('groups (3 levels)', `
    INSERT INTO groups (name, external_id, updated_at) SELECT 'Region ' || i, 'scale-r' || i, now() FROM generate_series(1, $1::int) i;
  `.replace(/;\s*$/, ''), [roots]);
  await step('groups level 2', `INSERT INTO groups (name, external_id, parent_id, updated_at)
    SELECT 'Team ' || i, 'scale-t' || i, (SELECT id FROM groups WHERE external_id = 'scale-r' || (1 + i % $2::int)), now() FROM generate_series(1, $1::int) i`, [mids, roots]);
  await step('groups level 3', `INSERT INTO groups (name, external_id, parent_id, updated_at)
    SELECT 'Squad ' || i, 'scale-s' || i, (SELECT id FROM groups WHERE external_id = 'scale-t' || (1 + i % $2::int)), now() FROM generate_series(1, $1::int) i`, [leaves, mids]);
  await step('learners', `INSERT INTO users (email, first_name, last_name, department, country, updated_at, last_login_at, last_activity_at)
    SELECT 'u' || i || '@scale.covey', 'First' || i, 'Last' || i, (ARRAY['Sales','Marketing','Ops','Tech'])[1 + i % 4], (ARRAY['FR','BE','DE','ES'])[1 + i % 4], now(),
      CASE WHEN i % 7 = 0 THEN NULL ELSE now() - (i % 60) * interval '1 day' END,
      CASE WHEN i % 7 = 0 THEN NULL ELSE now() - (i % 60) * interval '1 day' END
    FROM generate_series(1, $1::int) i`, [users]);
  await step('learner memberships', `INSERT INTO memberships (user_id, group_id, role)
    SELECT u.id, g.id, 'learner' FROM (SELECT id, row_number() OVER () AS rn FROM users WHERE email LIKE 'u%@scale.covey') u
    JOIN groups g ON g.external_id = 'scale-s' || (1 + u.rn % $1::int)`, [leaves]);
  await step('observers', `INSERT INTO users (email, first_name, last_name, updated_at)
    SELECT 'obs' || i || '@scale.covey', 'Obs' || i, 'Erver', now() FROM generate_series(1, $1::int) i`, [n('observers')]);
  await step('observer memberships', `INSERT INTO memberships (user_id, group_id, role)
    SELECT u.id, g.id, 'observer' FROM (SELECT id, row_number() OVER () AS rn FROM users WHERE email LIKE 'obs%@scale.covey') u
    JOIN groups g ON g.external_id = 'scale-t' || (1 + u.rn % $1::int)`, [mids]);
  await step('programs and steps', `WITH p AS (
      INSERT INTO programs (title, status, starts_at, ends_at, updated_at)
      SELECT 'Program ' || i, 'published', now() - (i % 30) * interval '1 day', now() + (30 + i % 60) * interval '1 day', now() FROM generate_series(1, $1::int) i
      RETURNING id)
    INSERT INTO program_steps (program_id, position, title) SELECT p.id, s, 'Step ' || (s + 1) FROM p, generate_series(0, 4) s`, [n('programs')]);
  await step('assignments', `INSERT INTO program_assignments (program_id, group_id)
    SELECT p.id, g.id FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM programs) p
    JOIN groups g ON g.external_id = CASE WHEN p.rn % 4 = 0 THEN 'scale-r' || (1 + p.rn % $1::int) ELSE 'scale-t' || (1 + p.rn % $2::int) END
    ON CONFLICT DO NOTHING`, [roots, mids]);
  const t0 = performance.now();
  const result = await db.prisma.$transaction(
    (tx) => reconcileEnrollments(tx, { users: Prisma.sql`SELECT id FROM users WHERE email LIKE 'u%@scale.covey'` }),
    { timeout: 3_600_000, maxWait: 60_000 },
  );
  console.log(`  ${'enrollments (auto-enrollment)'.padEnd(34)} ${Math.round(performance.now() - t0)} ms (${result.enrolled} enrolled)`);
  await step('progress', `UPDATE enrollments SET
      progress = (abs(hashtext(id::text)) % 6) * 20,
      status = (CASE WHEN abs(hashtext(id::text)) % 6 = 5 THEN 'completed' WHEN abs(hashtext(id::text)) % 6 = 0 THEN 'enrolled' ELSE 'in_progress' END)::"EnrollmentStatus",
      completed_at = CASE WHEN abs(hashtext(id::text)) % 6 = 5 THEN now() - (abs(hashtext(id::text)) % 80) * interval '1 day' END`);
  await step('posts', `INSERT INTO posts (author_id, scope, group_id, body, body_html, created_at)
    SELECT m.user_id, 'group', m.group_id, 'Post ' || i, '<p>Post ' || i || '</p>', now() - (i % 100000) * interval '1 minute'
    FROM generate_series(1, $1::int) i
    JOIN (SELECT user_id, group_id, row_number() OVER () - 1 AS rn FROM memberships WHERE role = 'learner') m ON m.rn = (i::bigint * 7919) % $2::int`, [Math.round(n('posts') * 0.7), users]);
  await step('public posts', `INSERT INTO posts (author_id, scope, body, body_html, created_at)
    SELECT u.id, 'public', 'Hello ' || i, '<p>Hello ' || i || '</p>', now() - i * interval '1 minute'
    FROM generate_series(1, $1::int) i
    JOIN (SELECT id, row_number() OVER () - 1 AS rn FROM users WHERE email LIKE 'u%@scale.covey') u ON u.rn = i % $2::int`, [Math.round(n('posts') * 0.1), users]);
  await step('comments', `INSERT INTO posts (author_id, scope, group_id, parent_id, body, body_html, created_at)
    SELECT p.author_id, p.scope, p.group_id, p.id, 'Comment', '<p>Comment</p>', p.created_at + interval '1 minute'
    FROM posts p WHERE p.parent_id IS NULL AND abs(hashtext(p.id::text)) % 7 < 2 LIMIT $1::int`, [Math.round(n('posts') * 0.2)]);
  await step('comment counts', `UPDATE posts p SET comment_count = c.n FROM (SELECT parent_id, count(*)::int n FROM posts WHERE parent_id IS NOT NULL GROUP BY parent_id) c WHERE p.id = c.parent_id`);
  await step('activity days', `INSERT INTO activity_days (user_id, day)
    SELECT u.id, (now() - d * interval '1 day')::date FROM users u, generate_series(0, 84, 7) d
    WHERE u.email LIKE 'u%@scale.covey' AND abs(hashtext(u.id::text || d)) % 3 = 0 ON CONFLICT DO NOTHING`);
  // Seeding is not news: no webhook should replay a million synthetic events.
  await step('outbox (seeded events are not delivered)', `UPDATE outbox_events SET dispatched_at = now() WHERE dispatched_at IS NULL`);
  await step('analyze', 'ANALYZE');
  console.log(`Done in ${Math.round((performance.now() - started) / 1000)} s.`);
} finally {
  await db.close();
}
