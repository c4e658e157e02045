/**
 * `pnpm --filter @covey/api bench:profile` (not a test): CPU profile of the built API (`pnpm build`) under load on a
 * database seeded by `pnpm seed:scale` (DATABASE_URL). For each target (PROFILE_TARGETS=me,feed,fair,health; fair: the bare
 * baseline of P1) the API is
 * started with `node --cpu-prof`, driven at PROFILE_CONNECTIONS (10) for PROFILE_DURATION seconds (10), stopped;
 * the profile is summarized (top frames) and drawn as a flame graph: bench/profiles/<target>[-PROFILE_LABEL].{svg,txt}
 * (and the busy samples, .cpuprofile, for Chrome's DevTools).
 * Also counts the statements each request costs (transactions committed on the database per request). Relative
 * costs hold on a busy machine; absolute ones do not.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { busyBetween, flameSvg, summary, type CpuProfile } from './flame.ts';
import { BENCH_PASSWORD, benchActors, cpuMicros, load, login, start, stop } from './processes.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('bench:profile needs DATABASE_URL: a database seeded by `pnpm seed:scale`.');
  process.exit(2);
}
const targets = (process.env.PROFILE_TARGETS ?? 'me,feed').split(',');
const duration = Number(process.env.PROFILE_DURATION ?? 10);
const connections = Number(process.env.PROFILE_CONNECTIONS ?? 10);
const label = process.env.PROFILE_LABEL ? `-${process.env.PROFILE_LABEL}` : '';
const out = path.join(import.meta.dirname, 'profiles');
fs.mkdirSync(out, { recursive: true });

const pool = new pg.Pool({ connectionString: url, max: 2 });
const q = async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[];
const { squad, viewer } = await benchActors(q);
const commits = async () =>
  Number(
    (
      await q<{ n: string }>(`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()`)
    )[0]!.n,
  );

for (const target of targets) {
  const port = 3900 + Math.floor(Math.random() * 90);
  const base = `http://127.0.0.1:${port}`;
  const dir = fs.mkdtempSync(path.join(out, '.raw-'));
  // `fair` profiles the bare baseline of P1 (bench/baseline.ts) serving the same page: what Covey adds is the rest.
  const bare = target === 'fair';
  const profiling = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'];
  const api = bare
    ? await start('bench/baseline.ts', port, { DATABASE_URL: url, BASELINE_VIEWER: viewer.id }, profiling)
    : await start('src/main.ts', port, { DATABASE_URL: url }, profiling);
  const token = bare ? '' : await login(base, viewer.email, BENCH_PASSWORD);
  const paths: Record<string, string> = {
    me: '/api/v1/me',
    feed: `/api/v1/groups/${squad.id}/posts?limit=20`,
    fair: `/fair/${squad.id}`,
    health: '/api/health',
  };
  if (!paths[target]) throw new Error(`PROFILE_TARGETS: one of ${Object.keys(paths).join(', ')}`);
  const headers = { authorization: `Bearer ${token}` };
  await load(`${base}${paths[target]}`, { connections, duration: 2, headers }); // warm-up
  await new Promise((r) => setTimeout(r, 1500));
  const before = await commits();
  const from = Number(process.hrtime.bigint() / 1000n);
  const cpu0 = cpuMicros(api.pid!);
  const result = await load(`${base}${paths[target]}`, { connections, duration, headers });
  const cpu = cpuMicros(api.pid!) - cpu0;
  const to = Number(process.hrtime.bigint() / 1000n);
  await new Promise((r) => setTimeout(r, 1500)); // the server's statistics are flushed within a second
  const statements = (await commits()) - before;
  await stop(api);
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  // What the API did under the measured load: neither its start nor the warm-up, nor its idle time.
  const profile = busyBetween(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile, from, to);
  fs.rmSync(dir, { recursive: true });
  const requests = result.requests.total;
  const head = `GET ${paths[target].replace(squad.id, '{group}')}: ${Math.round(result.requests.average)} req/s at ${connections} connections, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.non2xx + result.errors} errors; ${(statements / requests).toFixed(2)} statements per request`;
  // The CPU the kernel counted (the profile's sample times are wall clock: on a busy machine they also hold the
  // time the process waited for a core).
  const text = `${head}\nAPI CPU per request: ${Math.round(cpu / requests)} µs (with the profiler on)\n${summary(profile)}\n`;
  fs.writeFileSync(path.join(out, `${target}${label}.txt`), text);
  fs.writeFileSync(path.join(out, `${target}${label}.svg`), flameSvg(profile, head));
  fs.writeFileSync(path.join(out, `${target}${label}.cpuprofile`), JSON.stringify(profile));
  console.log(text);
}
await pool.end();
process.exit(0);
