import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './redis-server.ts';

/**
 * Starts the API (`src/main.ts`) as a child process on a free port and waits until `/api/ready` answers 200.
 * It fails at once if the process exits, and after `deadlineMs` otherwise, with the last lines the process
 * printed: under a loaded CI machine a cold start (tsx transpiling the app, pg-boss's schema, a demo seed)
 * can take tens of seconds, and a bare "did not start" said nothing of why.
 */
export interface ApiProcess {
  base: string;
  child: ChildProcess;
}

const apiDir = path.resolve(import.meta.dirname, '..');
const KEEP = 64 * 1024;

export async function startApiProcess(env: NodeJS.ProcessEnv, { deadlineMs = 150_000 } = {}): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The last 64 kB of stdout and stderr, interleaved, for the error.
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString()).slice(-KEEP);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ready = await fetch(`${base}/api/ready`).then((r) => r.ok).catch(() => false);
    if (ready) return { base, child };
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the API process on ${port} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${printed.slice(-4000)}`);
    }
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`the API process on ${port} was not ready after ${deadlineMs} ms:\n${printed.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
