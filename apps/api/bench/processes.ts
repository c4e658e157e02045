/**
 * Starting the API (as `pnpm start` runs it) and the bare baseline for the bench and the profiler, and driving load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { hashPassword } from '../src/lib/passwords.ts';
import { startCommand } from '../scripts/start-command.ts';

export const apiDir = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGTERM')));

/** `extraNodeOptions`: more flags for the API's node (the profiler's `--cpu-prof`). */
export async function start(
  script: string,
  port: number,
  env: Record<string, string>,
  extraNodeOptions: string[] = [],
) {
  // Production mode: the built bundle as `pnpm start` runs it when there is one (`pnpm build`), else the sources
  // through tsx.
  const built = script === 'src/main.ts' && fs.existsSync(path.join(apiDir, 'dist/main.js'));
  const production = built ? startCommand() : { env: {}, nodeOptions: [] };
  const args = built
    ? [...production.nodeOptions, ...extraNodeOptions, 'dist/main.js']
    : [...extraNodeOptions, '--import', 'tsx', script];
  const child = spawn(process.execPath, args, {
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

/** Stops a process and waits for its exit (a profiled API writes its profile on the way out). */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export function load(
  target: string,
  options: { connections: number; duration: number; headers?: Record<string, string> },
) {
  return new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(
      { url: target, connections: options.connections, duration: options.duration, headers: options.headers ?? {} },
      (err, result) => (err ? reject(new Error(String(err))) : resolve(result)),
    ),
  );
}

/** Signs in with the bench password (set by the caller on the account). */
export async function login(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${email}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export const BENCH_PASSWORD = 'bench-password-1';
type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

/**
 * The actors of a seeded workspace: a learner of the busiest squad (its feed is P1's page) and an admin, both
 * signing in with BENCH_PASSWORD.
 */
export async function benchActors(q: Query) {
  const [squad] = await q<{ id: string }>(
    `SELECT p.group_id AS id FROM posts p WHERE p.scope = 'group' GROUP BY p.group_id ORDER BY count(*) DESC LIMIT 1`,
  );
  const [viewer] = await q<{ id: string; email: string }>(
    `SELECT u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 AND m.role = 'learner' LIMIT 1`,
    [squad!.id],
  );
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  await q(`UPDATE users SET password_hash = $1 WHERE id = $2`, [passwordHash, viewer!.id]);
  await q(
    `INSERT INTO users (email, first_name, last_name, role, password_hash, updated_at) VALUES ('bench-admin@scale.covey', 'Bench', 'Admin', 'admin', $1, now()) ON CONFLICT (email) DO UPDATE SET password_hash = $1`,
    [passwordHash],
  );
  return { squad: squad!, viewer: viewer!, adminEmail: 'bench-admin@scale.covey' };
}

/** CPU time a process has used so far (user + system), in microseconds, from /proc (Linux). */
export function cpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}
