import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { startCommand } from '../scripts/start-command.ts';
import { freePort } from '../test/redis-server.ts';

/** A child process with its output in a log file, and a way to kill it hard or stop it politely. */
export type Proc = { child: ChildProcess; log: string; exited: Promise<number | null> };

export function startProcess(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; log: string }): Proc {
  const out = fs.openSync(options.log, 'a');
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, log: options.log, exited };
}

export async function stop(proc: Proc | undefined, signal: NodeJS.Signals = 'SIGTERM') {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill(signal);
  await proc.exited;
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const here = path.dirname(new URL(import.meta.url).pathname);
export const apiDir = path.resolve(here, '..');
export const repoDir = path.resolve(apiDir, '../..');

/** One Covey API node: `node dist/main.js` as `pnpm start` runs it, on its own port. */
export function startNode(name: string, port: number, env: Record<string, string>, logDir: string): Proc {
  const production = startCommand();
  return startProcess(process.execPath, [...production.nodeOptions, 'dist/main.js'], {
    cwd: apiDir,
    env: { PATH: process.env.PATH, ...production.env, NODE_NO_WARNINGS: '1', ...env, PORT: String(port), HOST: '127.0.0.1' },
    log: path.join(logDir, `${name}.log`),
  });
}

export async function ready(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/api/ready`, { signal: AbortSignal.timeout(1000) });
  await res.body?.cancel();
  return res.ok;
}

/** Debian's HAProxy running deploy/haproxy.cfg (the README's sample) in the foreground. */
export function startHaproxy(bind: number, nodes: number[], logDir: string): Proc {
  return startProcess('haproxy', ['-db', '-f', path.join(repoDir, 'deploy/haproxy.cfg')], {
    env: {
      PATH: process.env.PATH,
      COVEY_LB_BIND: `127.0.0.1:${bind}`,
      COVEY_NODE1: `127.0.0.1:${nodes[0]}`,
      COVEY_NODE2: `127.0.0.1:${nodes[1]}`,
      COVEY_NODE3: `127.0.0.1:${nodes[2]}`,
    },
    log: path.join(logDir, 'haproxy.log'),
  });
}

/** An SMTP server that counts every message it receives by its Message-ID (Covey sends `<mail id@covey>`). */
export async function startMailSink() {
  const received = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 64 * 1024) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const id = /^message-id:\s*<([^@>]+)@covey>/im.exec(head)?.[1] ?? 'unknown';
        received.set(id, (received.get(id) ?? 0) + 1);
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A webhook endpoint that counts deliveries per event id and answers 204. */
export async function startWebhookSink() {
  const received = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      try {
        const id = (JSON.parse(body) as { id?: string }).id ?? 'unknown';
        received.set(id, (received.get(id) ?? 0) + 1);
      } catch {
        received.set('unparsable', (received.get('unparsable') ?? 0) + 1);
      }
      res.writeHead(204).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
