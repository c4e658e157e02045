import fs from 'node:fs';
import path from 'node:path';

const apiDir = path.resolve(import.meta.dirname, '..');

/**
 * How `pnpm start` runs the API: its package's start script, `VAR=value … node --flag … dist/main.js`. The bench,
 * the profiler and the cluster test start the built bundle with the same environment and Node options, so they
 * measure and test what ships (the allocator's threshold, the heap's sizing).
 */
export function startCommand(): { env: Record<string, string>; nodeOptions: string[] } {
  const script = (JSON.parse(fs.readFileSync(path.join(apiDir, 'package.json'), 'utf8')) as { scripts: { start: string } })
    .scripts.start;
  const match = /^((?:\w+=\S+\s+)*)node\s+((?:--\S+\s+)*)dist\/main\.js$/.exec(script.trim());
  if (!match) throw new Error(`the start script has an unexpected form: ${script}`);
  const env = Object.fromEntries(
    match[1]!
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((a) => a.split('=') as [string, string]),
  );
  return { env, nodeOptions: match[2]!.trim().split(/\s+/).filter(Boolean) };
}
