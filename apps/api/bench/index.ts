/**
 * `pnpm bench`: on the embedded database (no DATABASE_URL), the self-seeding statistics and digest benchmark
 * (10,000 learners). On a PostgreSQL server, the full suite (bench/run.ts); if the database holds no scale data yet,
 * it is seeded first with BENCH_USERS learners (default 10,000; `pnpm seed:scale` makes the 100,000 workspace).
 */
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const url = process.env.DATABASE_URL;
const run = (script: string, args: string[] = []) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: `${import.meta.dirname}/..`, stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

if (!url) {
  run('bench/insight.ts');
} else {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const seeded = await client
    .query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'u%@scale.covey'`)
    .then((r) => r.rows[0]!.n > 0)
    .catch(() => false);
  await client.end();
  if (!seeded) {
    const users = process.env.BENCH_USERS ?? '10000';
    run('bench/seed-scale.ts', ['--users', users, '--groups', '200', '--programs', '20', '--posts', String(Number(users) * 5), '--observers', '1000']);
  }
  run('bench/run.ts');
}
