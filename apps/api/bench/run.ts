/**
 * `pnpm bench` (not part of `pnpm test`) on a database made by `pnpm seed:scale` (DATABASE_URL). Measures, side by
 * side: P1 a member reading a group feed page vs a bare Fastify + pg endpoint running the same SQL (autocannon,
 * 50 connections); P2 assigning a program to groups of 1k/10k/100k learners vs the raw set-based SQL, and adding
 * 10,000 members to a group with 20 ongoing programs; P3 one digest run for 1,000 observers at 10k and at 100k
 * learners; group stats and learners table on a 10,000-learner subtree; API RSS at peak. Writes bench/results.json
 * and bench/results.md. Figures depend on the machine: read them as ratios.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { openDatabase, sessionSettings } from '../src/db/database.ts';
import { loadEnv } from '../src/env.ts';
import { runObserverDigests } from '../src/modules/digests/digest.service.ts';
import { Budgets, linear } from './budgets.ts';
import { apiDir, BENCH_PASSWORD, benchActors, load as loadAt, login as signIn, start } from './processes.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('pnpm bench needs DATABASE_URL: a database seeded by `pnpm seed:scale`.');
  process.exit(2);
}
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
/** BENCH_STEPS=p1,p2,stats,p3 runs a subset (default: all). */
const steps = new Set((process.env.BENCH_STEPS ?? 'p1,p2,stats,p3').split(','));
const want = (step: string) => steps.has(step);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const here = import.meta.dirname;
// The raw SQL runs with the API's session settings (no JIT, no parallel workers).
const sqlPool = new pg.Pool({ connectionString: url, max: 4, onConnect: sessionSettings() });
const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  (await sqlPool.query(sql, params)).rows as T[];

/**
 * What a run writes goes at its end: the groups and programs it creates (all named "Bench …", with their
 * memberships, assignments and enrollments) and the outbox events it causes. A 100,000-learner assignment alone
 * leaves 100,000 enrollments and as many events; kept, they made P2 drift from 2x to 3-4x over five runs. Rows left
 * by an interrupted run go at the start.
 */
async function removeBenchRows(since?: Date) {
  const t0 = performance.now();
  if (since) await q(`DELETE FROM outbox_events WHERE created_at >= $1`, [since]);
  await q(`DELETE FROM programs WHERE title LIKE 'Bench %'`);
  await q(`DELETE FROM groups WHERE name LIKE 'Bench %'`);
  console.log(`  bench rows removed in ${Math.round(performance.now() - t0)} ms`);
}
const startedAt = (await q<{ now: Date }>('SELECT now()'))[0]!.now;
// The synthetic learners take no e-mail (as seed-scale.ts now writes them): each enrollment the fan-outs make would
// otherwise queue a mail (400,000 a run), delivered one job each while the next measures run.
await q(`UPDATE users SET notify_email = 'never' WHERE email LIKE 'u%@scale.covey' AND notify_email <> 'never'`);
await removeBenchRows();
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function time<T>(fn: () => Promise<T>) {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

const load = (target: string, headers: Record<string, string> = {}) =>
  loadAt(target, { connections: CONNECTIONS, duration: DURATION, headers });

async function sequential(target: string, headers: Record<string, string>, runs = 30) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await time(() =>
      fetch(target, { headers }).then(async (r) => {
        if (!r.ok) throw new Error(`${target}: ${r.status} ${await r.text()}`);
        return r.arrayBuffer();
      }),
    );
    samples.push(t.ms);
  }
  samples.sort((a, b) => a - b);
  return {
    p50: round(samples[Math.floor(runs * 0.5)]!),
    p99: round(samples[Math.min(runs - 1, Math.floor(runs * 0.99))]!),
  };
}

const results: Record<string, unknown> = {
  machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: round(os.totalmem() / 2 ** 30) },
  at: new Date().toISOString(),
  durationSeconds: DURATION,
  connections: CONNECTIONS,
};
const table: string[] = ['| measure | Covey | baseline | ratio | budget |', '|---|---|---|---|---|'];
const budgets = new Budgets();
const row = (line: string) => {
  table.push(line);
  console.log(line);
};

// Actors: a learner of a busy squad (with a password to sign in), an admin.
const { squad, viewer, adminEmail } = await benchActors(q);

const apiPort = 3700 + Math.floor(Math.random() * 200);
const api = await start('src/main.ts', apiPort, { DATABASE_URL: url });
const base = `http://127.0.0.1:${apiPort}`;
const login = (email: string) => signIn(base, email, BENCH_PASSWORD);
const memberToken = await login(viewer.email);

/**
 * The API's peak RSS per phase: VmHWM read at the end of each phase, then reset (clear_refs 5) so that the next
 * phase's peak is its own. The table reports the highest.
 */
const rssPeaks: Record<string, number> = {};
function rssPhase(label: string) {
  const status = fs.readFileSync(`/proc/${api.pid}/status`, 'utf8');
  rssPeaks[label] = round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  console.log(`  API RSS peak (${label}): ${rssPeaks[label]} MB`);
  try {
    fs.writeFileSync(`/proc/${api.pid}/clear_refs`, '5');
  } catch {
    // Not allowed here: the peaks then accumulate.
  }
}
/** The API's present RSS, MB. */
const rssNow = () =>
  round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${api.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
rssPhase('start and sign-in');
const adminToken = await login(adminEmail);
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

// P1: Covey's feed page, the old baseline (unnamed statement, `LIMIT $3`, planned on every call) and the fair one
// (the same SQL as a named prepared statement with its limit in the text, Covey's own way), alternated.
if (want('p1')) {
  console.log('P1: group feed page vs bare baselines…');
  const basePort = apiPort + 1;
  const baseline = await start('bench/baseline.ts', basePort, { DATABASE_URL: url, BASELINE_VIEWER: viewer.id });
  const targets = {
    covey: { url: `${base}/api/v1/groups/${squad.id}/posts?limit=20`, headers: auth(memberToken) },
    old: { url: `http://127.0.0.1:${basePort}/feed/${squad.id}`, headers: {} },
    fair: { url: `http://127.0.0.1:${basePort}/fair/${squad.id}`, headers: {} },
  };
  type Target = keyof typeof targets;
  const names = Object.keys(targets) as Target[];
  for (const name of names) await load(targets[name].url, targets[name].headers); // warm-up
  // Alternate the three, ROUNDS times each, and keep the median round of each: all see the same machine.
  const ROUNDS = Number(process.env.BENCH_P1_ROUNDS ?? 3);
  const runs: Record<Target, autocannon.Result[]> = { covey: [], old: [], fair: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const name of names) runs[name].push(await load(targets[name].url, targets[name].headers));
  }
  // A signed-in GET /me once, for comparison: the fixed cost of a signed-in request.
  const me = await load(`${base}/api/v1/me`, auth(memberToken));
  baseline.kill('SIGTERM');
  rssPhase('P1');
  const median = (list: autocannon.Result[]) =>
    [...list].sort((a, b) => a.requests.average - b.requests.average)[Math.floor(list.length / 2)]!;
  const [covey, old, fair] = names.map((name) => median(runs[name])) as [autocannon.Result, autocannon.Result, autocannon.Result];
  const figures = (r: autocannon.Result) => ({ rps: round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99 });
  const p1 = {
    rounds: ROUNDS,
    covey: figures(covey),
    oldBaseline: figures(old),
    fairBaseline: figures(fair),
    me: figures(me),
    ratioFair: round(covey.requests.average / fair.requests.average, 2),
    ratioOld: round(covey.requests.average / old.requests.average, 2),
    roundRatiosFair: runs.covey.map((c, i) => round(c.requests.average / runs.fair[i]!.requests.average, 2)),
    p99RatioFair: round(covey.latency.p99 / Math.max(1, fair.latency.p99), 2),
    errors: runs.covey.reduce((n, r) => n + r.errors + r.non2xx, 0) + me.errors + me.non2xx,
  };
  results.p1 = p1;
  row(
    `| P1 feed page, req/s (${CONNECTIONS} conn.) vs fair baseline | ${p1.covey.rps} | ${p1.fairBaseline.rps} (prepared) | ${p1.ratioFair}x | >= 0.8x |`,
  );
  row(`| P1 feed page, req/s vs old baseline | ${p1.covey.rps} | ${p1.oldBaseline.rps} (unnamed) | ${p1.ratioOld}x | |`);
  row(
    `| P1 latency p50 / p99 ms | ${p1.covey.p50} / ${p1.covey.p99} | ${p1.fairBaseline.p50} / ${p1.fairBaseline.p99} (prepared), ${p1.oldBaseline.p50} / ${p1.oldBaseline.p99} (unnamed) | ${p1.p99RatioFair}x (p99) | p99 <= 1.5x |`,
  );
  row(`| signed-in GET /me, req/s, p50 / p99 ms | ${p1.me.rps}, ${p1.me.p50} / ${p1.me.p99} | | | |`);
  budgets.check(
    'P1 throughput >= 0.8x the fair baseline',
    p1.ratioFair >= 0.8,
    `${p1.ratioFair}x: ${p1.covey.rps} vs ${p1.fairBaseline.rps} req/s, rounds ${p1.roundRatiosFair.join(', ')}`,
  );
  budgets.check(
    'P1 p99 <= 1.5x the fair baseline p99',
    covey.latency.p99 <= 1.5 * fair.latency.p99,
    `${p1.covey.p99} vs ${p1.fairBaseline.p99} ms`,
  );
  if (p1.errors) budgets.check('P1 without errors', false, `${p1.errors} errors or non-2xx answers`);
}

let checkpointWarned = false;
/**
 * Lets earlier fan-outs settle before a measure: the outbox dispatched, the grown tables vacuumed and analyzed, and
 * their writes flushed by a checkpoint. Without it PostgreSQL went on writing checkpoints after the step (every ~20 s
 * after P2's ~1 GB of WAL, more than the default `max_wal_size`), and the statistics measured after P2 in a full run
 * took twice their time in a run of their own.
 */
async function settle() {
  for (let i = 0; i < 240; i++) {
    const [left] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_events WHERE dispatched_at IS NULL`);
    if (!left!.n) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await q('VACUUM ANALYZE users, memberships, enrollments, enrollment_sources, program_assignments, outbox_events');
  try {
    await q('CHECKPOINT');
  } catch (error) {
    // A role without pg_checkpoint: the measures then share the machine with the checkpointer.
    if (!checkpointWarned) console.warn(`  no CHECKPOINT between measures: ${(error as Error).message}`);
    checkpointWarned = true;
  }
}
const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// P2: assignment fan-out at 1k, 10k, 100k learners vs raw SQL
console.log('P2: assignment fan-out…');
const p2: Record<string, unknown>[] = [];
const makeGroup = async (size: number, name: string) => {
  const [g] = await q<{ id: string }>(`INSERT INTO groups (name, updated_at) VALUES ($1, now()) RETURNING id`, [name]);
  await q(
    `INSERT INTO memberships (user_id, group_id, role) SELECT id, $1, 'learner' FROM users WHERE email LIKE 'u%@scale.covey' ORDER BY id LIMIT $2`,
    [g!.id, size],
  );
  return g!.id;
};
const makeProgram = async () =>
  (
    await q<{ id: string }>(
      `INSERT INTO programs (title, status, updated_at) VALUES ('Bench ' || gen_random_uuid(), 'published', now()) RETURNING id`,
    )
  )[0]!.id;
const total = Number(
  (await q<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'u%@scale.covey'`))[0]!.n,
);
let stats10k: string | null = null;
let group100k: string | null = null;
const assignMs: Record<number, number> = {};
for (const size of [1_000, 10_000, 100_000].filter(
  (s) => s <= total && (want('p2') || (want('stats') && s >= 10_000)),
)) {
  const group = await makeGroup(size, `Bench ${size}`);
  if (size === 10_000) stats10k = group;
  if (size === 100_000) group100k = group;
  await q('ANALYZE memberships');
  if (!want('p2')) continue;
  // Up to 10,000 learners: 3 rounds (a new program each), medians; 100,000: one round.
  const apiRuns: number[] = [];
  const rawRuns: number[] = [];
  for (let round = 0; round < (size <= 10_000 ? 3 : 1); round++) {
    await settle();
    const program = await makeProgram();
    const viaApi = await time(async () => {
      const res = await fetch(`${base}/api/v1/programs/${program}/groups/${group}`, {
        method: 'PUT',
        headers: auth(adminToken),
      });
      if (!res.ok) throw new Error(`assign: ${res.status} ${await res.text()}`);
    });
    apiRuns.push(viaApi.ms);
    await settle();
    const rawProgram = await makeProgram();
    const raw = await time(async () => {
      const client = await sqlPool.connect();
      try {
        await client.query('BEGIN');
        const [a] = (
          await client.query(`INSERT INTO program_assignments (program_id, group_id) VALUES ($1, $2) RETURNING id`, [
            rawProgram,
            group,
          ])
        ).rows as { id: string }[];
        await client.query(
          `WITH e AS (INSERT INTO enrollments (user_id, program_id) SELECT user_id, $1 FROM memberships WHERE group_id = $2 AND role = 'learner' RETURNING id)
        INSERT INTO enrollment_sources (enrollment_id, assignment_id) SELECT id, $3 FROM e`,
          [rawProgram, group, a!.id],
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    });
    rawRuns.push(raw.ms);
  }
  rssPhase(`P2 ${size}`);
  const apiMs = medianOf(apiRuns);
  const rawMs = medianOf(rawRuns);
  p2.push({
    learners: size,
    rounds: apiRuns.length,
    apiMs: round(apiMs),
    rawSqlMs: round(rawMs),
    ratio: round(apiMs / rawMs, 2),
  });
  row(
    `| P2 assign to ${size.toLocaleString('en')} learners, ms | ${round(apiMs)} | ${round(rawMs)} (raw SQL) | ${round(apiMs / rawMs, 2)}x | <= 2x, linear |`,
  );
  assignMs[size] = apiMs;
  budgets.check(
    `P2 assignment to ${size.toLocaleString('en')} learners <= 2x raw SQL`,
    apiMs <= 2 * rawMs,
    `${round(apiMs / rawMs, 2)}x: ${round(apiMs)} vs ${round(rawMs)} ms`,
  );
}
if (assignMs[10_000] && assignMs[100_000]) {
  budgets.check(
    'P2 assignment linear from 10,000 to 100,000 learners (<= 12x the time)',
    linear(assignMs[10_000], assignMs[100_000], 10),
    `${round(assignMs[100_000] / assignMs[10_000], 2)}x the time for 10x the learners`,
  );
}
// Adding 10,000 members to a group with 20 ongoing programs (bulk API) vs raw SQL.
if (total >= 20_000 && want('p2')) {
  const target = (
    await q<{ id: string }>(`INSERT INTO groups (name, updated_at) VALUES ('Bench join', now()) RETURNING id`)
  )[0]!.id;
  const programs: string[] = [];
  for (let i = 0; i < 20; i++) programs.push(await makeProgram());
  await q(`INSERT INTO program_assignments (program_id, group_id) SELECT unnest($1::uuid[]), $2`, [programs, target]);
  const members = await q<{ id: string }>(
    `SELECT id FROM users WHERE email LIKE 'u%@scale.covey' ORDER BY id DESC LIMIT 10000`,
  );
  const viaApi = await time(async () => {
    const res = await fetch(`${base}/api/v1/bulk/memberships`, {
      method: 'POST',
      headers: { ...auth(adminToken), 'content-type': 'application/json' },
      body: JSON.stringify({
        operations: members.map((m) => ({ op: 'add', user: m.id, group: target, role: 'learner' })),
      }),
    });
    const op = (await res.json()) as { id: string };
    for (;;) {
      const status = (await (
        await fetch(`${base}/api/v1/bulk/operations/${op.id}`, { headers: auth(adminToken) })
      ).json()) as { status: string };
      if (status.status === 'completed' || status.status === 'failed') return;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  const rawTarget = (
    await q<{ id: string }>(`INSERT INTO groups (name, updated_at) VALUES ('Bench join raw', now()) RETURNING id`)
  )[0]!.id;
  await q(`INSERT INTO program_assignments (program_id, group_id) SELECT unnest($1::uuid[]), $2`, [
    programs,
    rawTarget,
  ]);
  const rawMembers = await q<{ id: string }>(
    `SELECT id FROM users WHERE email LIKE 'u%@scale.covey' ORDER BY id DESC OFFSET 10000 LIMIT 10000`,
  );
  const raw = await time(async () => {
    const client = await sqlPool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO memberships (user_id, group_id, role) SELECT unnest($1::uuid[]), $2, 'learner'`, [
        rawMembers.map((m) => m.id),
        rawTarget,
      ]);
      await client.query(
        `WITH e AS (
          INSERT INTO enrollments (user_id, program_id) SELECT u, a.program_id FROM unnest($1::uuid[]) u, program_assignments a WHERE a.group_id = $2
          ON CONFLICT DO NOTHING RETURNING id, program_id)
        INSERT INTO enrollment_sources (enrollment_id, assignment_id) SELECT e.id, a.id FROM e JOIN program_assignments a ON a.program_id = e.program_id AND a.group_id = $2`,
        [rawMembers.map((m) => m.id), rawTarget],
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });
  rssPhase('P2 bulk join');
  results.p2join = {
    members: 10_000,
    programs: 20,
    apiMs: round(viaApi.ms),
    rawSqlMs: round(raw.ms),
    ratio: round(viaApi.ms / raw.ms, 2),
  };
  row(
    `| P2 add 10,000 members to a group with 20 programs (bulk API), ms | ${round(viaApi.ms)} | ${round(raw.ms)} (raw SQL) | ${round(viaApi.ms / raw.ms, 2)}x | <= 2x |`,
  );
  budgets.check(
    'P2 bulk join of 10,000 members (20 programs) <= 2x raw SQL',
    viaApi.ms <= 2 * raw.ms,
    `${round(viaApi.ms / raw.ms, 2)}x: ${round(viaApi.ms)} vs ${round(raw.ms)} ms`,
  );
}
results.p2 = p2;

// Stats on a 10,000-learner subtree
if (stats10k) {
  // The statistics' own cost, not the background work P2 left behind.
  await settle();
  console.log('stats on a 10,000-learner subtree…');
  const stats = await sequential(`${base}/api/v1/groups/${stats10k}/stats`, auth(adminToken));
  const learners = await sequential(
    `${base}/api/v1/groups/${stats10k}/stats/learners?limit=50&sort=progress&order=desc`,
    auth(adminToken),
  );
  rssPhase('stats');
  results.stats = { groupStats: stats, learnersTable: learners };
  row(`| group stats, 10k subtree, p50 / p99 ms | ${stats.p50} / ${stats.p99} | | | p50 <= 50, p99 <= 100 |`);
  row(`| learners table, 10k subtree, p50 / p99 ms | ${learners.p50} / ${learners.p99} | | | p50 <= 50, p99 <= 100 |`);
  for (const [name, figures] of [
    ['group statistics', stats],
    ['learners table', learners],
  ] as const) {
    budgets.check(
      `Statistics: ${name} on a 10,000-learner subtree, p50 <= 50 ms and p99 <= 100 ms`,
      figures.p50 <= 50 && figures.p99 <= 100,
      `p50 ${figures.p50} ms, p99 ${figures.p99} ms`,
    );
  }
}

// The learners table as CSV: 10,000 then 100,000 learners, streamed. Flat memory: the 100,000-row stream raises the
// API's peak RSS by no more than the 10,000-row one does, give or take 16 MB (a buffered export would grow ~10x).
if (want('stats') && stats10k && group100k) {
  await settle();
  console.log('learners CSV…');
  const csv = async (group: string, label: string) => {
    rssPhase(`before ${label}`); // resets the peak to the present RSS
    const before = rssNow();
    const t = await time(async () => {
      const res = await fetch(`${base}/api/v1/groups/${group}/stats/learners`, {
        headers: { ...auth(adminToken), accept: 'text/csv' },
      });
      if (!res.ok) throw new Error(`learners CSV: ${res.status} ${await res.text()}`);
      let lines = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        for (const byte of chunk) if (byte === 10) lines++;
      }
      return lines;
    });
    rssPhase(label);
    return { ms: round(t.ms), rows: t.value - 1, rssGrowthMb: round(rssPeaks[label]! - before) };
  };
  const small = await csv(stats10k, 'CSV 10k');
  const big = await csv(group100k, 'CSV 100k');
  results.learnersCsv = { small, big };
  row(`| learners CSV, ${small.rows.toLocaleString('en')} rows, ms (peak RSS growth MB) | ${small.ms} (+${small.rssGrowthMb}) | | | |`);
  row(`| learners CSV, ${big.rows.toLocaleString('en')} rows, ms (peak RSS growth MB) | ${big.ms} (+${big.rssGrowthMb}) | | | <= 5 s, flat memory |`);
  budgets.check('Learners CSV of 100,000 learners streamed in <= 5 s', big.rows >= 100_000 && big.ms <= 5_000, `${big.rows.toLocaleString('en')} rows in ${big.ms} ms`);
  budgets.check(
    'Learners CSV memory flat (100,000 rows raise peak RSS no more than 10,000 rows + 16 MB)',
    big.rssGrowthMb <= small.rssGrowthMb + 16,
    `+${big.rssGrowthMb} MB for 100,000 rows, +${small.rssGrowthMb} MB for 10,000`,
  );
}

// RSS at peak of the API process
rssPhase('end');
const peakMb = Math.max(...Object.values(rssPeaks));
results.apiPeakRssMb = peakMb;
results.apiRssPeaks = rssPeaks;
const worst = Object.entries(rssPeaks).find(([, mb]) => mb === peakMb)![0];
row(`| API RSS at peak, MB | ${peakMb} (${worst}) | | | <= 200 |`);
budgets.check('API RSS <= 200 MB at peak over the bench', peakMb <= 200, `${peakMb} MB (${worst})`);
api.kill('SIGTERM');

// P3: one digest run for 1,000 observers, here and on a 10x smaller copy
console.log('P3: digest runs…');
if (!want('p3')) await finish();
async function digestRun(databaseUrl: string) {
  const db = await openDatabase({ url: databaseUrl, poolSize: 4 });
  const env = loadEnv({ LOG_LEVEL: 'silent', COVEY_FILES_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'covey-bench-')) });
  const app = await buildApp({ env, db, jobs: false });
  await app.ready();
  await db.query('DELETE FROM digest_runs');
  const observers = Number(
    (
      await db.query<{ n: number }>(`SELECT count(DISTINCT user_id)::int AS n FROM memberships WHERE role = 'observer'`)
    )[0]!.n,
  );
  const learners = Number(
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'u%@scale.covey'`))[0]!.n,
  );
  const run = await time(() => runObserverDigests(app));
  await app.close();
  await db.close();
  return { observers, learners, ms: round(run.ms), mails: run.value.sent };
}
const big = await digestRun(url);
// The smaller copy is the seeded workspace at a tenth of its size: learners, groups and programs (posts do not enter
// a digest).
const [shape] = await q<{ groups: number; programs: number }>(
  `SELECT (SELECT count(*)::int FROM groups WHERE external_id LIKE 'scale-%') AS groups,
    (SELECT count(*)::int FROM programs WHERE title LIKE 'Program %') AS programs`,
);
const smallName = `covey_bench_small_${Date.now()}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE DATABASE ${smallName}`);
const smallUrl = Object.assign(new URL(url), { pathname: `/${smallName}` }).toString();
await new Promise<void>((resolve, reject) => {
  const seeding = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/seed-scale.ts',
      '--users',
      String(Math.round(big.learners / 10)),
      '--groups',
      String(Math.max(20, Math.round(shape!.groups / 10))),
      '--programs',
      String(Math.max(2, Math.round(shape!.programs / 10))),
      '--posts',
      '10000',
      '--observers',
      String(big.observers),
    ],
    {
      cwd: apiDir,
      env: { ...process.env, DATABASE_URL: smallUrl },
      stdio: 'ignore',
    },
  );
  seeding.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seed exited ${code}`))));
});
const small = await digestRun(smallUrl);
await admin.query(`DROP DATABASE IF EXISTS ${smallName} WITH (FORCE)`);
await admin.end();
results.p3 = { small, big, costRatio: round(big.ms / small.ms, 2) };
row(
  `| P3 digest, ${small.observers} observers, ${small.learners.toLocaleString('en')} learners, ms | ${small.ms} | | | |`,
);
row(
  `| P3 digest, ${big.observers} observers, ${big.learners.toLocaleString('en')} learners, ms | ${big.ms} | | ${round(big.ms / small.ms, 2)}x for 10x data | <= 60 s, <= 12x |`,
);
budgets.check(
  `P3 digest for ${big.observers.toLocaleString('en')} observers over ${big.learners.toLocaleString('en')} learners <= 60 s`,
  big.ms <= 60_000,
  `${round(big.ms / 1000, 2)} s`,
);
budgets.check(
  'P3 digest linear (a 10x smaller copy takes at least a 12th of the time)',
  linear(small.ms, big.ms, 10),
  `${round(big.ms / small.ms, 2)}x the time of ${small.learners.toLocaleString('en')} learners for 10x the data`,
);
await finish();

async function finish(): Promise<never> {
  await removeBenchRows(startedAt);
  results.budgets = budgets.lines;
  const header = `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${round(os.totalmem() / 2 ** 30)} GiB; PostgreSQL server; ${total.toLocaleString('en')} seeded learners; ${DURATION} s per load run. Absolute times are indicative.`;
  const markdown = `${header}\n\n${table.join('\n')}\n\nBudgets (issue #19):\n\n${budgets.markdown()}\n`;
  fs.writeFileSync(path.join(here, 'results.json'), JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(here, 'results.md'), markdown);
  console.log(`\n${markdown}`);
  await sqlPool.end();
  process.exit(0);
}
