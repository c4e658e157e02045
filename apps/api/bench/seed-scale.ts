/**
 * `pnpm seed:scale --users 100000` (or `--users 1000000`) on the PostgreSQL server given by DATABASE_URL: a realistic
 * workspace (a three-level group tree, learners and observers, assignments and the enrollments they imply, progress,
 * completion certificates, posts and comments, activity), written set-based. Groups, programs and posts follow the
 * number of learners unless given: one group per 50 learners, one program per 500, ten posts per learner (100,000
 * learners: 2,000 groups, 200 programs, 1,000,000 posts). Prints its own time.
 *
 * Written as a bulk load, in one transaction (a failed seed leaves nothing): the secondary indexes of the big tables
 * are dropped first and built once at the end, foreign keys are not checked row by row (the rows are consistent by
 * construction), and what triggers would derive is written directly. Seeding is not news: enrollments count as
 * announced, events as delivered, and the seeded completions share one certificate, so that the API does not spend
 * its first hours mailing and drawing PDFs. The synthetic learners take no e-mail (`notify_email = never`): the
 * bench's fan-outs would otherwise queue a mail per new enrollment (400,000 a run), delivered one job each while the
 * next measures run.
 */
import { parseArgs } from 'node:util';
import { ensureWorkspace } from '../src/db/bootstrap.ts';
import { openDatabase, type SqlSession } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadEnv } from '../src/env.ts';
import { storageFromEnv } from '../src/lib/storage.ts';
import { generateCertificate } from '../src/modules/documents/certificate.ts';

const { values } = parseArgs({
  // `pnpm seed:scale -- --users …` passes the `--` through: ignore it.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    users: { type: 'string', default: '100000' },
    groups: { type: 'string' },
    programs: { type: 'string' },
    posts: { type: 'string' },
    observers: { type: 'string', default: '1000' },
  },
});
const users = Number(values.users);
const groups = Number(values.groups ?? Math.max(20, Math.round(users / 50)));
const programs = Number(values.programs ?? Math.max(2, Math.round(users / 500)));
const posts = Number(values.posts ?? users * 10);
const observers = Number(values.observers);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('seed:scale needs DATABASE_URL (a PostgreSQL server).');
  process.exit(2);
}

/** The tables the load fills: their secondary indexes are built after it. */
const BULK_TABLES = ['users', 'memberships', 'enrollments', 'enrollment_sources', 'posts', 'activity_days'];

const started = performance.now();
const db = await openDatabase({ url, poolSize: 2 });
const timed = async (label: string, fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  console.log(`  ${label.padEnd(40)} ${Math.round(performance.now() - t0)} ms`);
};
try {
  await migrate(db);
  await ensureWorkspace(db);
  const roots = Math.max(1, Math.round(groups / 100));
  const mids = Math.max(1, Math.round(groups / 10));
  const leaves = Math.max(1, groups - roots - mids);
  console.log(`Seeding ${users} users, ${groups} groups, ${programs} programs, ${posts} posts, ${observers} observers…`);
  await db.session(async (s) => {
    const step = (label: string, sql: string, params: unknown[] = []) => timed(label, () => s.query(sql, params));
    await s.exec('BEGIN');
    try {
      await s.exec(`SET LOCAL maintenance_work_mem = '1GB'; SET LOCAL work_mem = '256MB'; SET LOCAL jit = off`);
      const indexes = await dropSecondaryIndexes(s);
      await load(s, step, { roots, mids, leaves });
      await timed(`indexes (${indexes.length}, built after the load)`, async () => {
        for (const sql of indexes) await s.exec(sql);
      });
      await s.exec('COMMIT');
    } catch (error) {
      await s.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
  await timed('certificates (one shared file)', () => shareOneCertificate());
  await timed('vacuum analyze', () => db.exec('VACUUM ANALYZE'));
  console.log(`Done in ${Math.round((performance.now() - started) / 1000)} s.`);
} finally {
  await db.close();
}

/** Drops the indexes of BULK_TABLES that back no constraint; returns the statements that build them again. */
async function dropSecondaryIndexes(s: SqlSession): Promise<string[]> {
  const rows = await s.query<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relname = ANY($1) AND t.relnamespace = 'public'::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
    [BULK_TABLES],
  );
  for (const r of rows) await s.exec(`DROP INDEX "${r.name}"`);
  return rows.map((r) => r.def);
}

/** Foreign keys unchecked row by row (replica mode skips their triggers) where the server lets us. */
async function withoutRowTriggers(s: SqlSession, fn: () => Promise<void>) {
  const replica = await s
    .exec(`SET LOCAL session_replication_role = replica`)
    .then(() => true)
    .catch(() => false);
  await fn();
  if (replica) await s.exec(`SET LOCAL session_replication_role = origin`);
}

type Step = (label: string, sql: string, params?: unknown[]) => Promise<void>;

async function load(s: SqlSession, step: Step, tree: { roots: number; mids: number; leaves: number }) {
  const { roots, mids, leaves } = tree;
  await step('groups (3 levels)', `INSERT INTO groups (name, external_id, updated_at) SELECT 'Region ' || i, 'scale-r' || i, now() FROM generate_series(1, $1::int) i`, [roots]);
  await step('groups level 2', `INSERT INTO groups (name, external_id, parent_id, updated_at)
    SELECT 'Team ' || i, 'scale-t' || i, r.id, now() FROM generate_series(1, $1::int) i JOIN groups r ON r.external_id = 'scale-r' || (1 + i % $2::int)`, [mids, roots]);
  await step('groups level 3', `INSERT INTO groups (name, external_id, parent_id, updated_at)
    SELECT 'Squad ' || i, 'scale-s' || i, t.id, now() FROM generate_series(1, $1::int) i JOIN groups t ON t.external_id = 'scale-t' || (1 + i % $2::int)`, [leaves, mids]);
  // A learner's active weeks (users.active_weeks, which the activity_days trigger keeps) are written with the
  // learner: a third of the last 13 weeks, by a hash of the learner's number and the week.
  const activeWeek = (n: string) => `abs(hashtext(${n}::text || '/' || d)) % 3 = 0`;
  await withoutRowTriggers(s, async () => {
    await step('learners', `INSERT INTO users (email, first_name, last_name, department, country, notify_email, updated_at, last_login_at, last_activity_at, active_weeks)
      SELECT 'u' || i || '@scale.covey', 'First' || i, 'Last' || i, (ARRAY['Sales','Marketing','Ops','Tech'])[1 + i % 4], (ARRAY['FR','BE','DE','ES'])[1 + i % 4], 'never', now(),
        CASE WHEN i % 7 = 0 THEN NULL ELSE now() - (i % 60) * interval '1 day' END,
        CASE WHEN i % 7 = 0 THEN NULL ELSE now() - (i % 60) * interval '1 day' END,
        ARRAY(SELECT DISTINCT date_trunc('week', ((now() AT TIME ZONE 'UTC')::date - d)::timestamp)::date FROM generate_series(0, 84, 7) d WHERE ${activeWeek('i')} ORDER BY 1)
      FROM generate_series(1, $1::int) i`, [users]);
    await step('learner memberships', `INSERT INTO memberships (user_id, group_id, role)
      SELECT u.id, g.id, 'learner' FROM (SELECT id, row_number() OVER () AS rn FROM users WHERE email LIKE 'u%@scale.covey') u
      JOIN groups g ON g.external_id = 'scale-s' || (1 + u.rn % $1::int)`, [leaves]);
    await step('observers', `INSERT INTO users (email, first_name, last_name, updated_at)
      SELECT 'obs' || i || '@scale.covey', 'Obs' || i, 'Erver', now() FROM generate_series(1, $1::int) i`, [observers]);
    await step('observer memberships', `INSERT INTO memberships (user_id, group_id, role)
      SELECT u.id, g.id, 'observer' FROM (SELECT id, row_number() OVER () AS rn FROM users WHERE email LIKE 'obs%@scale.covey') u
      JOIN groups g ON g.external_id = 'scale-t' || (1 + u.rn % $1::int)`, [mids]);
    await step('programs and steps', `WITH p AS (
        INSERT INTO programs (title, status, starts_at, ends_at, updated_at)
        SELECT 'Program ' || i, 'published', now() - (i % 30) * interval '1 day', now() + (30 + i % 60) * interval '1 day', now() FROM generate_series(1, $1::int) i
        RETURNING id)
      INSERT INTO program_steps (program_id, position, title) SELECT p.id, s, 'Step ' || (s + 1) FROM p, generate_series(0, 4) s`, [programs]);
    await step('assignments', `INSERT INTO program_assignments (program_id, group_id)
      SELECT p.id, g.id FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM programs) p
      JOIN groups g ON g.external_id = CASE WHEN p.rn % 4 = 0 THEN 'scale-r' || (1 + p.rn % $1::int) ELSE 'scale-t' || (1 + p.rn % $2::int) END
      ON CONFLICT DO NOTHING`, [roots, mids]);
    // What auto-enrollment derives (enrollment-engine.ts), for the whole workspace at once: a learner of a group, or
    // of a group under it, is enrolled in each program assigned to the group; each assignment is a source. Progress,
    // status and completion come with the row (a sixth each: 0, 20, …, 100%), already announced.
    const hash = `abs(hashtext(r.user_id::text || r.program_id::text)) % 6`;
    await step('enrollments (with progress)', `WITH RECURSIVE up(start, id) AS (
        SELECT id, id FROM groups UNION ALL SELECT up.start, g.parent_id FROM up JOIN groups g ON g.id = up.id WHERE g.parent_id IS NOT NULL)
      INSERT INTO enrollments (user_id, program_id, progress, status, completed_at, notified_at)
      SELECT r.user_id, r.program_id, ${hash} * 20,
        (CASE WHEN ${hash} = 5 THEN 'completed' WHEN ${hash} = 0 THEN 'enrolled' ELSE 'in_progress' END)::"EnrollmentStatus",
        CASE WHEN ${hash} = 5 THEN now() - (abs(hashtext(r.user_id::text || r.program_id::text)) % 80) * interval '1 day' END,
        now()
      FROM (SELECT DISTINCT m.user_id, a.program_id FROM memberships m JOIN up ON up.start = m.group_id
            JOIN program_assignments a ON a.group_id = up.id WHERE m.role = 'learner') r`);
    await step('enrollment sources', `WITH RECURSIVE up(start, id) AS (
        SELECT id, id FROM groups UNION ALL SELECT up.start, g.parent_id FROM up JOIN groups g ON g.id = up.id WHERE g.parent_id IS NOT NULL)
      INSERT INTO enrollment_sources (enrollment_id, assignment_id)
      SELECT e.id, a.id FROM memberships m JOIN up ON up.start = m.group_id JOIN program_assignments a ON a.group_id = up.id
      JOIN enrollments e ON e.user_id = m.user_id AND e.program_id = a.program_id WHERE m.role = 'learner'`);
    // Posts and their comments: two sevenths of the posts have one comment (counted with the post).
    await step('posts', `INSERT INTO posts (author_id, scope, group_id, body, body_html, comment_count, created_at)
      SELECT m.user_id, 'group', m.group_id, 'Post ' || i, '<p>Post ' || i || '</p>', (i % 7 < 2)::int, now() - (i % 100000) * interval '1 minute'
      FROM generate_series(1, $1::int) i
      JOIN (SELECT user_id, group_id, row_number() OVER () - 1 AS rn FROM memberships WHERE role = 'learner') m ON m.rn = (i::bigint * 7919) % $2::int`, [Math.round(posts * 0.7), users]);
    await step('public posts', `INSERT INTO posts (author_id, scope, body, body_html, comment_count, created_at)
      SELECT u.id, 'public', 'Hello ' || i, '<p>Hello ' || i || '</p>', (i % 7 < 2)::int, now() - i * interval '1 minute'
      FROM generate_series(1, $1::int) i
      JOIN (SELECT id, row_number() OVER () - 1 AS rn FROM users WHERE email LIKE 'u%@scale.covey') u ON u.rn = i % $2::int`, [Math.round(posts * 0.1), users]);
    await step('comments', `INSERT INTO posts (author_id, scope, group_id, parent_id, body, body_html, created_at)
      SELECT p.author_id, p.scope, p.group_id, p.id, 'Comment', '<p>Comment</p>', p.created_at + interval '1 minute'
      FROM posts p WHERE p.parent_id IS NULL AND p.comment_count = 1`);
    await step('activity days', `INSERT INTO activity_days (user_id, day)
      SELECT u.id, (now() AT TIME ZONE 'UTC')::date - d FROM users u, generate_series(0, 84, 7) d
      WHERE u.email LIKE 'u%@scale.covey' AND ${activeWeek(`substr(u.email, 2, strpos(u.email, '@') - 2)`)}`);
  });
  // Seeding is not news: no webhook should replay a million synthetic events.
  await step('outbox (seeded events are not delivered)', `UPDATE outbox_events SET dispatched_at = now() WHERE dispatched_at IS NULL`);
}

/**
 * Completed enrollments have their certificate, as in a workspace that has lived: one real certificate is drawn
 * (the API's own generator), and the other seeded completions point at its file.
 */
async function shareOneCertificate() {
  const [first] = await db.query<{ id: string }>(
    `SELECT e.id::text FROM enrollments e JOIN users u ON u.id = e.user_id
     WHERE e.status = 'completed' AND u.email LIKE 'u%@scale.covey' ORDER BY e.id LIMIT 1`,
  );
  if (!first) return;
  const env = loadEnv();
  const storage = await storageFromEnv(env);
  try {
    const document = await generateCertificate({ db, storage }, first.id);
    if (!document) return;
    await db.query(
      `INSERT INTO documents (user_id, kind, title, program_id, file_id)
       SELECT e.user_id, 'certificate', 'Certificate: ' || p.title, e.program_id, $1::uuid
       FROM enrollments e JOIN programs p ON p.id = e.program_id JOIN users u ON u.id = e.user_id
       WHERE e.status = 'completed' AND u.email LIKE 'u%@scale.covey'
       ON CONFLICT (user_id, kind, program_id) DO NOTHING`,
      [document.fileId],
    );
  } finally {
    await storage.close();
  }
}
