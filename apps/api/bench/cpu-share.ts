/**
 * `pnpm --filter @covey/api bench:cpu-share` (not a test): P1's group feed page against the fair baseline, with the CPU
 * each process spends per request (the API, all PostgreSQL backends, this load generator; from /proc, no profiler) and
 * the API's peak RSS. They share the machine's cores, so P1's ratio follows the sum. VARIANTS (JSON, default `[[]]`)
 * starts one API per list of extra node flags (after the start script's: `[[], ["--heap-growing-percent=50"]]`
 * compares a V8 flag side by side). CONNECTIONS (50), ROUNDS (3) of DURATION seconds (10), alternated. Needs the
 * built API (`pnpm build`) and a database seeded by `pnpm seed:scale` (DATABASE_URL).
 */
import fs from 'node:fs';
import pg from 'pg';
import { BENCH_PASSWORD, benchActors, cpuMicros, load, login, start, stop } from './processes.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('bench:cpu-share needs DATABASE_URL: a database seeded by `pnpm seed:scale`.');
  process.exit(2);
}
const variants = JSON.parse(process.env.VARIANTS ?? '[[]]') as string[][];
const connections = Number(process.env.CONNECTIONS ?? 50);
const duration = Number(process.env.DURATION ?? 10);
const rounds = Number(process.env.ROUNDS ?? 3);

const pool = new pg.Pool({ connectionString: url, max: 2 });
const { squad, viewer } = await benchActors(async (sql, params = []) => (await pool.query(sql, params)).rows as never);
const port = 3800 + Math.floor(Math.random() * 90);
const apis: Awaited<ReturnType<typeof start>>[] = [];
for (const [i, flags] of variants.entries()) apis.push(await start('src/main.ts', port + 1 + i, { DATABASE_URL: url }, flags));
const baseline = await start('bench/baseline.ts', port, { DATABASE_URL: url, BASELINE_VIEWER: viewer.id });
const headers = { authorization: `Bearer ${await login(`http://127.0.0.1:${port + 1}`, viewer.email, BENCH_PASSWORD)}` };
const targets = [
  ...variants.map((flags, i) => ({
    name: `covey ${flags.join(' ') || '(start script)'}`,
    pid: apis[i]!.pid!,
    url: `http://127.0.0.1:${port + 1 + i}/api/v1/groups/${squad.id}/posts?limit=20`,
  })),
  { name: 'fair baseline', pid: baseline.pid!, url: `http://127.0.0.1:${port}/fair/${squad.id}` },
];

/** CPU of each PostgreSQL process on the machine, µs, by pid. */
function postgresCpu(): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('postgres')) cpu.set(Number(entry), cpuMicros(Number(entry)));
    } catch {
      // the process ended meanwhile
    }
  }
  return cpu;
}
/** What PostgreSQL spent between two readings: processes that ended meanwhile are not counted (an undercount). */
const postgresSpent = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((sum, [pid, micros]) => sum + micros - (before.get(pid) ?? 0), 0);

for (const target of targets) await load(target.url, { connections, duration: 3, headers }); // warm-up
for (let round = 1; round <= rounds; round++) {
  for (const target of targets) {
    const [api0, pg0, self0] = [cpuMicros(target.pid), postgresCpu(), process.cpuUsage()];
    const result = await load(target.url, { connections, duration, headers });
    const n = result.requests.total;
    const self = process.cpuUsage(self0);
    const per = (micros: number) => `${Math.round(micros / n)} µs`;
    console.log(
      `round ${round} ${target.name}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} / p99 ${result.latency.p99} ms; CPU per request: API ${per(cpuMicros(target.pid) - api0)}, PostgreSQL ${per(postgresSpent(pg0, postgresCpu()))}, load generator ${per(self.user + self.system)}`,
    );
  }
}
for (const [i, api] of apis.entries()) {
  const peak = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${api.pid}/status`, 'utf8'))?.[1];
  console.log(`${targets[i]!.name}: peak RSS ${Math.round(Number(peak) / 1024)} MB`);
}
for (const api of apis) await stop(api);
await stop(baseline);
await pool.end();
process.exit(0);
