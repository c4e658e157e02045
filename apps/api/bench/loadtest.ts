/**
 * `pnpm loadtest` against a running server (LOADTEST_URL, default http://127.0.0.1:3000, e.g. `pnpm start`):
 * 50 connections for 60 s (LOADTEST_CONNECTIONS, LOADTEST_SECONDS) of a realistic mix — feed reads, my programs,
 * posts, comments and membership changes — then checks that every acknowledged write is readable. Signs in as
 * LOADTEST_EMAIL / LOADTEST_PASSWORD (default: the demo admin). Exits non-zero on any error or lost write.
 */
const base = (process.env.LOADTEST_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const CONNECTIONS = Number(process.env.LOADTEST_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.LOADTEST_SECONDS ?? 60);
const email = process.env.LOADTEST_EMAIL ?? 'admin@demo.covey.test';
const password = process.env.LOADTEST_PASSWORD ?? 'covey-demo-1';

type Json = Record<string, unknown>;
async function call(token: string | null, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Json };
}
const must = async (p: Promise<{ status: number; json: Json }>, what: string) => {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
};

const run = Date.now().toString(36);
const admin = (await must(call(null, 'POST', '/api/v1/auth/login', { email, password }), 'admin sign-in')).accessToken as string;
const group = (await must(call(admin, 'POST', '/api/v1/groups', { name: `Load ${run}` }), 'group')).id as string;
const program = (await must(call(admin, 'POST', '/api/v1/programs', { title: `Load ${run}`, status: 'published', steps: [{ title: 'One' }, { title: 'Two' }] }), 'program')).id as string;
await must(call(admin, 'PUT', `/api/v1/programs/${program}/groups/${group}`), 'assign');
const learners: { id: string; token: string }[] = [];
for (let i = 0; i < 20; i++) {
  const user = await must(call(admin, 'POST', '/api/v1/users', { email: `load-${run}-${i}@load.test`, firstName: 'Load', lastName: `${i}`, password: 'load-test-password', groups: [{ group, role: 'learner' }] }), 'learner');
  const token = (await must(call(null, 'POST', '/api/v1/auth/login', { email: user.email, password: 'load-test-password' }), 'learner sign-in')).accessToken as string;
  learners.push({ id: user.id as string, token });
}
const spare = await must(call(admin, 'POST', '/api/v1/users', { email: `load-${run}-spare@load.test`, firstName: 'Spare', lastName: 'User' }), 'spare');

const latencies: number[] = [];
const errors: string[] = [];
const posts: string[] = [];
const comments: string[] = [];
let requests = 0;
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
const deadline = Date.now() + SECONDS * 1000;

async function worker() {
  while (Date.now() < deadline) {
    const learner = pick(learners);
    const roll = Math.random();
    const t0 = performance.now();
    let r: { status: number; json: Json };
    let kind: string;
    if (roll < 0.5) [kind, r] = ['feed', await call(learner.token, 'GET', `/api/v1/groups/${group}/posts?limit=20`)];
    else if (roll < 0.65) [kind, r] = ['my programs', await call(learner.token, 'GET', '/api/v1/me/programs')];
    else if (roll < 0.8) {
      [kind, r] = ['post', await call(learner.token, 'POST', `/api/v1/groups/${group}/posts`, { body: `Load post ${requests}` })];
      if (r.status === 201) posts.push(r.json.id as string);
    } else if (roll < 0.9 && posts.length) {
      [kind, r] = ['comment', await call(learner.token, 'POST', `/api/v1/posts/${pick(posts)}/comments`, { body: 'Load comment' })];
      if (r.status === 201) comments.push(r.json.id as string);
    } else {
      const roles = Math.random() < 0.5 ? ['learner'] : ['learner', 'observer'];
      [kind, r] = ['membership', await call(admin, 'PUT', `/api/v1/groups/${group}/members/${spare.id as string}`, { roles })];
    }
    latencies.push(performance.now() - t0);
    requests += 1;
    if (r.status >= 400) errors.push(`${kind}: ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
  }
}
const started = Date.now();
await Promise.all(Array.from({ length: CONNECTIONS }, worker));
const elapsed = (Date.now() - started) / 1000;

// Every acknowledged write must be readable afterwards.
let missing = 0;
for (const id of [...posts, ...comments]) {
  const r = await call(admin, 'GET', `/api/v1/posts/${id}`);
  if (r.status !== 200) missing += 1;
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]! * 10) / 10;
const summary = {
  connections: CONNECTIONS,
  seconds: Math.round(elapsed),
  requests,
  requestsPerSecond: Math.round(requests / elapsed),
  p50ms: pct(0.5),
  p99ms: pct(0.99),
  errors: errors.length,
  writesAcknowledged: posts.length + comments.length,
  writesMissing: missing,
};
console.log(JSON.stringify(summary, null, 2));
if (errors.length) console.log(errors.slice(0, 10).join('\n'));
process.exit(errors.length || missing ? 1 : 0);
