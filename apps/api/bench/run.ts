/**
 * `pnpm bench` (not part of `pnpm test`) on a database made by `pnpm seed:scale` (DATABASE_URL). Measures, side by
 * side: P1 a member reading a group feed page vs a bare Fastify + pg endpoint running the same SQL (autocannon,
 * 50 connections); P2 assigning a program to groups of 1k/10k/100k learners vs the raw set-based SQL, and adding
 * 10,000 members to a group with 20 ongoing programs; P3 one digest run for 1,000 observers at 10k and at 100k
 * learners; group stats and learners table on a 10,000-learner subtree; API RSS at peak. Writes bench/results.json
 * and bench/results.md. Figures depend on the machine: read them as ratios.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { openDatabase, withoutJit } from '../src/db/database.ts';
import { loadEnv } from '../src/env.ts';
import { hashPassword } from '../src/lib/passwords.ts';
import { runObserverDigests } from '../src/modules/digests/digest.service.ts';

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
const apiDir = path.resolve(here, '..');
// The raw SQL runs with the API's server settings (no JIT).
const sqlPool = new pg.Pool({ connectionString: url, max: 4, onConnect: withoutJit });
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
await removeBenchRows();
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGTERM')));

/**
 * How `pnpm start` runs the API (its package's start script: `VAR=value … node --flag … dist/main.js`): the bench
 * starts the built bundle with the same environment and Node options, so it measures what ships.
 */
function startScript() {
  const script = (JSON.parse(fs.readFileSync(path.join(apiDir, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const match = /^((?:\w+=\S+\s+)*)node\s+((?:--\S+\s+)*)dist\/main\.js$/.exec(script.trim());
  if (!match) throw new Error(`the start script has an unexpected form: ${script}`);
  const env = Object.fromEntries(match[1]!.trim().split(/\s+/).filter(Boolean).map((a) => a.split('=') as [string, string]));
  return { env, nodeOptions: match[2]!.trim().split(/\s+/).filter(Boolean) };
}

async function start(script: string, port: number, env: Record<string, string>) {
  // Production mode: the built bundle as `pnpm start` runs it when there is one (`pnpm build`), else the sources
  // through tsx.
  const built = script === 'src/main.ts' && fs.existsSync(path.join(apiDir, 'dist/main.js'));
  const production = built ? startScript() : { env: {}, nodeOptions: [] };
  const child = spawn(process.execPath, built ? [...production.nodeOptions, 'dist/main.js'] : ['--import', 'tsx', script], {
    cwd: apiDir,
    // One bench user drives 50 connections: lift the per-user request limit (3,000/min) that would answer 429.
    env: {
      ...process.env,
      ...production.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      COVEY_SEED_DEMO: '0',
      API_RATE_LIMIT: '1000000000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  for (let i = 0; i < 200; i++) {
    try {
      if (
        (await fetch(`http://127.0.0.1:${port}${script.includes('baseline') ? '/feed/x' : '/api/health'}`)).status < 600
      )
        return child;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${script} did not start`);
}

async function time<T>(fn: () => Promise<T>) {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

function load(target: string, headers: Record<string, string> = {}) {
  return new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ url: target, connections: CONNECTIONS, duration: DURATION, headers }, (err, result) =>
      err ? reject(new Error(String(err))) : resolve(result),
    ),
  );
}

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
const row = (line: string) => {
  table.push(line);
  console.log(line);
};

// Actors: a learner of a busy squad (with a password to sign in), an admin.
const [squad] = await q<{ id: string }>(
  `SELECT p.group_id AS id FROM posts p WHERE p.scope = 'group' GROUP BY p.group_id ORDER BY count(*) DESC LIMIT 1`,
);
const [viewer] = await q<{ id: string; email: string }>(
  `SELECT u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 AND m.role = 'learner' LIMIT 1`,
  [squad!.id],
);
const passwordHash = await hashPassword('bench-password-1');
await q(`UPDATE users SET password_hash = $1 WHERE id = $2`, [passwordHash, viewer!.id]);
await q(
  `INSERT INTO users (email, first_name, last_name, role, password_hash, updated_at) VALUES ('bench-admin@scale.covey', 'Bench', 'Admin', 'admin', $1, now()) ON CONFLICT (email) DO UPDATE SET password_hash = $1`,
  [passwordHash],
);

const apiPort = 3700 + Math.floor(Math.random() * 200);
const api = await start('src/main.ts', apiPort, { DATABASE_URL: url });
const base = `http://127.0.0.1:${apiPort}`;
const login = async (email: string) =>
  (
    (await (
      await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'bench-password-1' }),
      })
    ).json()) as { accessToken: string }
  ).accessToken;
const memberToken = await login(viewer!.email);

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
rssPhase('start and sign-in');
const adminToken = await login('bench-admin@scale.covey');
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

// P1
if (want('p1')) {
  console.log('P1: group feed page vs bare baseline…');
  const basePort = apiPort + 1;
  const baseline = await start('bench/baseline.ts', basePort, {
    DATABASE_URL: url,
    BASELINE_VIEWER: viewer!.id,
    BASELINE_GROUP: squad!.id,
  });
  const coveyUrl = `${base}/api/v1/groups/${squad!.id}/posts?limit=20`;
  const bareUrl = `http://127.0.0.1:${basePort}/feed/${squad!.id}`;
  await load(coveyUrl, auth(memberToken)); // warm-up
  await load(bareUrl);
  // Alternate the two, ROUNDS times each, and keep the median round of each: both see the same machine.
  const ROUNDS = Number(process.env.BENCH_P1_ROUNDS ?? 3);
  const coveyRuns: autocannon.Result[] = [];
  const bareRuns: autocannon.Result[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    coveyRuns.push(await load(coveyUrl, auth(memberToken)));
    bareRuns.push(await load(bareUrl));
  }
  const median = (runs: autocannon.Result[]) =>
    [...runs].sort((a, b) => a.requests.average - b.requests.average)[Math.floor(runs.length / 2)]!;
  const covey = median(coveyRuns);
  const bare = median(bareRuns);
  baseline.kill('SIGTERM');
  rssPhase('P1');
  const p1 = {
    rounds: ROUNDS,
    coveyRps: round(covey.requests.average),
    baselineRps: round(bare.requests.average),
    ratio: round(covey.requests.average / bare.requests.average, 2),
    roundRatios: coveyRuns.map((c, i) => round(c.requests.average / bareRuns[i]!.requests.average, 2)),
    coveyP50: covey.latency.p50,
    coveyP99: covey.latency.p99,
    baselineP50: bare.latency.p50,
    baselineP99: bare.latency.p99,
    errors: coveyRuns.reduce((n, r) => n + r.errors + r.non2xx, 0),
  };
  results.p1 = p1;
  row(`| P1 feed page, req/s (${CONNECTIONS} conn.) | ${p1.coveyRps} | ${p1.baselineRps} | ${p1.ratio}x | >= 0.6x |`);
  row(
    `| P1 latency p50 / p99 ms | ${p1.coveyP50} / ${p1.coveyP99} | ${p1.baselineP50} / ${p1.baselineP99} | | p99 <= 60 |`,
  );
}

/** Lets earlier fan-outs settle (outbox dispatched, the grown tables vacuumed and analyzed) before a measure. */
async function settle() {
  for (let i = 0; i < 240; i++) {
    const [left] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_events WHERE dispatched_at IS NULL`);
    if (!left!.n) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await q('VACUUM ANALYZE users, memberships, enrollments, enrollment_sources, program_assignments, outbox_events');
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
for (const size of [1_000, 10_000, 100_000].filter(
  (s) => s <= total && (want('p2') || (want('stats') && s === 10_000)),
)) {
  const group = await makeGroup(size, `Bench ${size}`);
  if (size === 10_000) stats10k = group;
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
    `| P2 assign to ${size.toLocaleString('en')} learners, ms | ${round(apiMs)} | ${round(rawMs)} (raw SQL) | ${round(apiMs / rawMs, 2)}x | <= 3x, linear |`,
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
    `| P2 add 10,000 members to a group with 20 programs (bulk API), ms | ${round(viaApi.ms)} | ${round(raw.ms)} (raw SQL) | ${round(viaApi.ms / raw.ms, 2)}x | <= 3x |`,
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
  row(`| group stats, 10k subtree, p50 / p99 ms | ${stats.p50} / ${stats.p99} | | | p50 <= 100 |`);
  row(`| learners table, 10k subtree, p50 / p99 ms | ${learners.p50} / ${learners.p99} | | | p50 <= 100 |`);
}

// RSS at peak of the API process
rssPhase('end');
const peakMb = Math.max(...Object.values(rssPeaks));
results.apiPeakRssMb = peakMb;
results.apiRssPeaks = rssPeaks;
const worst = Object.entries(rssPeaks).find(([, mb]) => mb === peakMb)![0];
row(`| API RSS at peak, MB | ${peakMb} (${worst}) | | | <= 250 |`);
api.kill('SIGTERM');

// P3: one digest run for 1,000 observers, here and on a 10x smaller copy
console.log('P3: digest runs…');
if (!want('p3')) {
  await removeBenchRows(startedAt);
  console.log(table.join('\n'));
  process.exit(0);
}
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
      '2000',
      '--programs',
      '200',
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
  `| P3 digest, ${big.observers} observers, ${big.learners.toLocaleString('en')} learners, ms | ${big.ms} | | ${round(big.ms / small.ms, 2)}x for 10x data | <= 10 s, <= 12x |`,
);

await removeBenchRows(startedAt);
const header = `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${round(os.totalmem() / 2 ** 30)} GiB; PostgreSQL server; ${DURATION} s per load run. Absolute times are indicative.`;
const markdown = `${header}\n\n${table.join('\n')}\n`;
fs.writeFileSync(path.join(here, 'results.json'), JSON.stringify(results, null, 2));
fs.writeFileSync(path.join(here, 'results.md'), markdown);
console.log(`\n${markdown}`);
await sqlPool.end();
process.exit(0);
