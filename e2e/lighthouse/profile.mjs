// CPU profile of a signed-in learner's first visit to the home page at 4x CPU throttle, self time by package and by
// long task, mapped through the build's source maps. A tool for the Lighthouse work, not part of CI:
//   PROFILE_BASE_URL=http://127.0.0.1:3200 node e2e/lighthouse/profile.mjs
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';
import { chromePath, signIn } from './session.mjs';

const require = createRequire(path.join(import.meta.dirname, '..', '..', 'apps', 'web', 'package.json'));
const { SourceMapConsumer } = require(require.resolve('source-map-js', { paths: [require.resolve('vite')] }));
const base = process.env.PROFILE_BASE_URL ?? 'http://127.0.0.1:3200';
const dist = path.join(import.meta.dirname, '..', '..', 'apps', 'web', 'dist');
const browser = await puppeteer.launch({
  executablePath: chromePath,
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();
await page.setViewport({ width: 412, height: 823, deviceScaleFactor: 1.75, isMobile: true });
await signIn(page, base);
const cdp = await page.createCDPSession();
await cdp.send('Network.clearBrowserCache');
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await page.tracing.start({ categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
await cdp.send('Profiler.start');
await page.goto(`${base}/`, { waitUntil: 'networkidle0' });
await new Promise((r) => setTimeout(r, 1000));
const { profile } = await cdp.send('Profiler.stop');
const trace = JSON.parse(Buffer.from(await page.tracing.stop()).toString());
await browser.close();

const maps = new Map();
function where(frame) {
  const file = frame.url.split('/assets/')[1];
  if (!file)
    return frame.url
      ? `(${frame.url.split('/').pop() || 'document'})`
      : frame.functionName
        ? `(native ${frame.functionName})`
        : '(program)';
  if (!maps.has(file)) {
    try {
      maps.set(file, new SourceMapConsumer(JSON.parse(readFileSync(path.join(dist, 'assets', `${file}.map`), 'utf8'))));
    } catch {
      maps.set(file, null);
    }
  }
  const map = maps.get(file);
  const pos = map?.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
  const src = pos?.source ?? file;
  const pkg = src.includes('node_modules')
    ? src.replace(/.*node_modules\/(@[^/]+\/[^/]+|[^/]+).*/, '$1')
    : src.replace(/^.*src\//, 'src/');
  return `${pkg} ${pos?.name ?? frame.functionName}`.trim();
}
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const t0 = profile.startTime;
const fnCalls = new Map();
for (const e of trace.traceEvents)
  if (e.name === 'FunctionCall' || e.name === 'EvaluateScript' || e.name === 'v8.evaluateModule')
    fnCalls.set(`${e.pid}:${e.tid}`, (fnCalls.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
const mainThread = [...fnCalls].sort((a, b) => b[1] - a[1])[0][0];
const tasks = trace.traceEvents
  .filter(
    (e) =>
      e.name === 'RunTask' &&
      e.dur > Number(process.env.PROFILE_MIN_TASK_MS ?? 30) * 1000 &&
      `${e.pid}:${e.tid}` === mainThread,
  )
  .map((e) => ({ start: e.ts, end: e.ts + e.dur }));
const nav =
  trace.traceEvents.find((e) => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame)?.ts ??
  tasks[0]?.start ??
  t0;
const buckets = tasks.map((t) => ({ ...t, pkg: new Map(), fn: new Map() }));
let time = t0;
profile.samples.forEach((id, i) => {
  time += profile.timeDeltas[i];
  const task = buckets.find((b) => time >= b.start && time <= b.end);
  if (!task) return;
  const node = byId.get(id);
  const label = where(node.callFrame);
  const pkg = label.split(' ')[0];
  const dt = (profile.timeDeltas[i + 1] ?? 100) / 1000;
  task.pkg.set(pkg, (task.pkg.get(pkg) ?? 0) + dt);
  task.fn.set(label, (task.fn.get(label) ?? 0) + dt);
});
for (const b of buckets) {
  console.log(`\nlong task @${((b.start - nav) / 1000) | 0} ms, ${((b.end - b.start) / 1000) | 0} ms`);
  const events = new Map();
  for (const e of trace.traceEvents) {
    if (`${e.pid}:${e.tid}` !== mainThread || e.ph !== 'X' || e.name === 'RunTask' || e.ts < b.start || e.ts > b.end)
      continue;
    events.set(e.name, (events.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  console.log(
    '  trace events: ' +
      [...events]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 8)
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(', '),
  );
  const top = (m, n) =>
    [...m]
      .sort((x, y) => y[1] - x[1])
      .slice(0, n)
      .map(([k, v]) => `   ${v.toFixed(0).padStart(5)} ${k}`)
      .join('\n');
  console.log(top(b.pkg, 8));
  console.log('  functions:\n' + top(b.fn, 12));
}
