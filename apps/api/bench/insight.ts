/**
 * `pnpm bench` (not a test): seeds 10,000 learners in a group subtree and measures the statistics endpoints and
 * one observer-digest run. On the PostgreSQL server when DATABASE_URL is set (a fresh database is created and
 * dropped), else on an in-memory embedded database. Prints a table and writes bench/results-insight.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { ensureWorkspace } from '../src/db/bootstrap.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadEnv } from '../src/env.ts';
import { runObserverDigests } from '../src/modules/digests/digest.service.ts';
import { learnersOfSubtree, reconcileEnrollments } from '../src/modules/enrollments/enrollment-engine.ts';
import { openBenchDb } from './bench-db.ts';

const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 10_000);
const OBSERVERS = Number(process.env.BENCH_OBSERVERS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (n: number) => Math.round(n * 10) / 10;


async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

const { db, drop } = await openBenchDb('covey_bench');
try {
  await migrate(db);
  await ensureWorkspace(db);
  const env = loadEnv({ NODE_ENV: 'production', LOG_LEVEL: 'silent', COVEY_FILES_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'covey-bench-')) });
  const app = await buildApp({ env, db, jobs: false });
  await app.ready();
  const q = (sql: string, params: unknown[] = []) => db.query(sql, params);

  console.log(`Seeding ${LEARNERS} learners, ${OBSERVERS} observers (${db.kind})…`);
  const [, seedMs] = await time(async () => {
    await q(`INSERT INTO groups (name, updated_at) VALUES ('Bench root', now())`);
    await q(`INSERT INTO groups (name, parent_id, updated_at) SELECT 'Team ' || n, (SELECT id FROM groups WHERE name = 'Bench root'), now() FROM generate_series(1, 20) n`);
    await q(`INSERT INTO users (email, first_name, last_name, updated_at, last_login_at, last_activity_at)
      SELECT 'l' || n || '@bench.covey', 'First' || n, 'Last' || n, now(),
        CASE WHEN n % 5 = 0 THEN NULL ELSE now() - (n % 40) * interval '1 day' END,
        CASE WHEN n % 5 = 0 THEN NULL ELSE now() - (n % 40) * interval '1 day' END
      FROM generate_series(1, $1::int) n`, [LEARNERS]);
    await q(`INSERT INTO memberships (user_id, group_id, role)
      SELECT u.id, g.id, 'learner'
      FROM (SELECT id, row_number() OVER () AS rn FROM users WHERE email LIKE 'l%@bench.covey') u
      JOIN groups g ON g.name = 'Team ' || (1 + u.rn % 20)`);
    await q(`INSERT INTO users (email, first_name, last_name, updated_at) SELECT 'o' || n || '@bench.covey', 'Obs' || n, 'Erver', now() FROM generate_series(1, $1::int) n`, [OBSERVERS]);
    await q(`INSERT INTO memberships (user_id, group_id, role)
      SELECT u.id, g.id, 'observer'
      FROM (SELECT id, row_number() OVER () AS rn FROM users WHERE email LIKE 'o%@bench.covey') u
      JOIN groups g ON g.name = 'Team ' || (1 + u.rn % 20)`);
    await q(`INSERT INTO programs (title, status, starts_at, ends_at, updated_at) SELECT 'Program ' || n, 'published', now() - interval '30 days', now() + interval '30 days', now() FROM generate_series(1, 3) n`);
    await q(`INSERT INTO program_steps (program_id, position, title) SELECT p.id, s, 'Step ' || s FROM programs p, generate_series(0, 3) s`);
    await q(`INSERT INTO program_assignments (program_id, group_id) SELECT p.id, (SELECT id FROM groups WHERE name = 'Bench root') FROM programs p`);
    const root = (await q(`SELECT id FROM groups WHERE name = 'Bench root'`))[0]!.id as string;
    await db.prisma.$transaction((tx) => reconcileEnrollments(tx, { users: learnersOfSubtree(root) }), { timeout: 600_000 });
    await q(`UPDATE enrollments SET progress = (abs(hashtext(id::text)) % 5) * 25,
      status = CASE WHEN abs(hashtext(id::text)) % 5 = 4 THEN 'completed'::"EnrollmentStatus" WHEN abs(hashtext(id::text)) % 5 = 0 THEN 'enrolled'::"EnrollmentStatus" ELSE 'in_progress'::"EnrollmentStatus" END,
      completed_at = CASE WHEN abs(hashtext(id::text)) % 5 = 4 THEN now() - (abs(hashtext(id::text)) % 60) * interval '1 day' END`);
    await q(`INSERT INTO activity_days (user_id, day) SELECT u.id, (now() - d * interval '1 day')::date FROM users u, generate_series(0, 80, 3) d WHERE abs(hashtext(u.id::text || d)) % 3 = 0 ON CONFLICT DO NOTHING`);
    await q('ANALYZE');
  });
  const root = (await q(`SELECT id FROM groups WHERE name = 'Bench root'`))[0]!.id as string;
  const adminUser = await db.prisma.user.create({ data: { email: 'admin@bench.covey', firstName: 'A', lastName: 'Dmin', role: 'admin' } });
  const token = app.jwt.sign({ typ: 'access', sub: adminUser.id, role: 'admin' });

  async function measure(label: string, url: string, headers: Record<string, string> = {}) {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [res, took] = await time(() => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers } }));
      if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      samples.push(took);
    }
    return { label, p50: ms(percentile(samples, 50)), p99: ms(percentile(samples, 99)) };
  }

  const results = [
    await measure('group stats (10k subtree)', `/api/v1/groups/${root}/stats`),
    await measure('learners table, first page by name', `/api/v1/groups/${root}/stats/learners?limit=50`),
    await measure('learners table, by progress desc', `/api/v1/groups/${root}/stats/learners?limit=50&sort=progress&order=desc`),
    await measure('learners table, segment behind', `/api/v1/groups/${root}/stats/learners?limit=50&segment=behind`),
  ];
  const [csv, csvMs] = await time(() => app.inject({ method: 'GET', url: `/api/v1/groups/${root}/stats/learners`, headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } }));
  const [digest, digestMs] = await time(() => runObserverDigests(app));

  console.log(`\nSeed: ${ms(seedMs)} ms · database: ${db.kind} · ${os.cpus().length} cores\n`);
  console.log('| measure | p50 ms | p99 ms |\n|---|---|---|');
  for (const r of results) console.log(`| ${r.label} | ${r.p50} | ${r.p99} |`);
  console.log(`| CSV export (${csv.body.split('\n').length - 2} rows) | ${ms(csvMs)} | |`);
  console.log(`| digest run (${digest.sent} observer mails) | ${ms(digestMs)} | |`);
  fs.writeFileSync(
    path.join(import.meta.dirname, 'results-insight.json'),
    JSON.stringify({ database: db.kind, cores: os.cpus().length, learners: LEARNERS, observers: OBSERVERS, results, csvMs: ms(csvMs), digestMs: ms(digestMs), digestMails: digest.sent, at: new Date().toISOString() }, null, 2),
  );
  await app.close();
} finally {
  await db.close();
  await drop();
}
