/**
 * The cluster test (`pnpm test:cluster`): three API nodes behind Debian's HAProxy (deploy/haproxy.cfg), one
 * PostgreSQL database made for the run, files in an S3 server (s3rver), rate limits in Redis, mail over SMTP to a
 * counting sink, webhooks to a counting receiver. A mixed load runs for CLUSTER_SECONDS (60) while node 2 is killed
 * with SIGKILL and restarted; then every acknowledged write is found once, every upload downloads from every node,
 * every mail, digest and webhook delivery arrived exactly once, and an integration client's limit held across nodes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { OBSERVER_DIGEST_QUEUE } from '../src/modules/digests/digest.service.ts';
import { NOTIFICATION_SUMMARY_QUEUE } from '../src/modules/notifications/summary.ts';
import { startS3Server } from '../test/s3-server.ts';
import { freePort, REDIS_BIN, startRedis } from '../test/redis-server.ts';
import { call, stats } from './client.ts';
import { ledger, operations, runLoad, setUp } from './load.ts';
import { apiDir, ready, startHaproxy, startMailSink, startNode, startWebhookSink, stop, waitFor, type Proc } from './services.ts';

const SECONDS = Number(process.env.CLUSTER_SECONDS ?? 60);
const WORKERS = Number(process.env.CLUSTER_WORKERS ?? 6);
const PACE_MS = Number(process.env.CLUSTER_PACE_MS ?? 250);
const CLIENT_LIMIT = 60;
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const failures: string[] = [];
const checks: string[] = [];
const check = (ok: boolean, what: string) => (ok ? checks : failures).push(what);
const log = (line: string) => console.log(`[cluster ${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const [bin, hint] of [
  ['haproxy', 'apt-get install -y haproxy'],
  ['redis-server', 'apt-get install -y redis-server'],
] as const) {
  if (!fs.existsSync(`/usr/sbin/${bin}`) && !fs.existsSync(`/usr/bin/${bin}`) && !(bin === 'redis-server' && REDIS_BIN)) {
    console.error(`cluster: ${bin} is not installed (${hint})`);
    process.exit(1);
  }
}
if (!fs.existsSync(path.join(apiDir, 'dist/main.js'))) {
  console.error('cluster: build the API first (pnpm build)');
  process.exit(1);
}

const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'covey-cluster-'));
const dbName = `covey_cluster_${process.pid}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrl = Object.assign(new URL(baseUrl), { pathname: `/${dbName}` }).toString();
const s3 = await startS3Server('covey-cluster');
const redis = (await startRedis())!;
const mail = await startMailSink();
const hooks = await startWebhookSink();
const ports = [await freePort(), await freePort(), await freePort()];
const lbPort = await freePort();
const lb = `http://127.0.0.1:${lbPort}`;
const ownerEmail = 'owner@cluster.covey.test';
const ownerPassword = 'cluster-owner-pass-1';
const nodeEnv: Record<string, string> = {
  NODE_ENV: 'production',
  DATABASE_URL: dbUrl,
  ...s3.env,
  REDIS_URL: redis.url,
  SMTP_URL: mail.url,
  TRUST_PROXY: '127.0.0.1',
  COVEY_OWNER_EMAIL: ownerEmail,
  COVEY_OWNER_PASSWORD: ownerPassword,
  COVEY_SEED_DEMO: '0',
  COVEY_WEBHOOK_ALLOW_PRIVATE: '1',
  CLIENT_RATE_LIMIT: String(CLIENT_LIMIT),
  LOG_LEVEL: 'warn',
  OUTBOX_POLL_MS: '500',
  MAIL_RETRY_DELAY: '1',
  WEBHOOK_RETRY_DELAY: '1',
};
const nodes: (Proc | undefined)[] = [];
let haproxy: Proc | undefined;
const db = new pg.Client({ connectionString: dbUrl });

try {
  // Three nodes start at once on an empty database: the migrations' advisory lock lets one migrate, the others wait.
  const t0 = Date.now();
  ports.forEach((port, i) => (nodes[i] = startNode(`node${i + 1}`, port, nodeEnv, logDir)));
  await Promise.all(ports.map((port) => waitFor(`node on ${port}`, () => ready(port), 180_000)));
  haproxy = startHaproxy(lbPort, ports, logDir);
  await waitFor('haproxy', async () => (await fetch(`${lb}/api/ready`)).ok);
  await db.connect();
  const migrations = await db.query<{ n: number }>('SELECT count(*)::int AS n, count(DISTINCT migration_name)::int AS d FROM _prisma_migrations');
  log(`3 nodes ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${migrations.rows[0]!.n} migrations recorded`);
  check(migrations.rows[0]!.n === fs.readdirSync(path.join(apiDir, '../../prisma/migrations')).filter((d) => !d.includes('.')).length, 'each migration applied once by three nodes starting together');

  const world = await setUp(lb, ownerEmail, ownerPassword, hooks.url);
  log(`workspace ready: ${world.learners.length} learners, 4 groups, 2 programs, a webhook, an integration client`);

  const errors: string[] = [];
  const until = Date.now() + SECONDS * 1000;
  const load = runLoad(operations(lb, world), WORKERS, until, errors, PACE_MS);
  const boss = new PgBoss({ connectionString: dbUrl, supervise: false, schedule: false, migrate: false, max: 2 });
  await boss.start();
  await sleep(SECONDS * 250);
  log('SIGKILL node2');
  nodes[1]!.child.kill('SIGKILL');
  await nodes[1]!.exited;
  await sleep(SECONDS * 150);
  // The daily digests' schedule fires: as if every node's clock ticked at once, each queues the run.
  for (let i = 0; i < 3; i += 1) {
    await boss.send(OBSERVER_DIGEST_QUEUE, {});
    await boss.send(NOTIFICATION_SUMMARY_QUEUE, {});
  }
  log('restart node2; digest runs queued three times');
  nodes[1] = startNode('node2', ports[1]!, nodeEnv, logDir);
  await waitFor("node2 back", () => ready(ports[1]!), 180_000);
  await load;
  await boss.stop({ graceful: false });
  log(`load done: ${stats.requests} requests`);

  // An integration client's limit is one count for the whole cluster: a burst through the balancer gets exactly it.
  const burst = await Promise.all(Array.from({ length: CLIENT_LIMIT + 30 }, () => call(lb, { path: '/api/v1/users?limit=1', token: world.client }, 1)));
  const allowed = burst.filter((r) => r?.status === 200).length;
  const limited = burst.filter((r) => r?.status === 429).length;
  const burstNodes = new Set(burst.map((r) => r?.headers.get('x-covey-node')));
  check(allowed === CLIENT_LIMIT && limited === 30 && burstNodes.size >= 2, `rate limit: ${allowed} of ${CLIENT_LIMIT + 30} allowed across ${burstNodes.size} nodes (limit ${CLIENT_LIMIT})`);

  let drain = '';
  // Let the queues drain: mails, webhook deliveries, bulk operations, enrollment mails (every minute).
  await waitFor(
    'queues to drain',
    async () => {
      const q = await db.query<{ mails: number; hooks: number; bulk: number; outbox: number; told: number }>(`SELECT
        (SELECT count(*)::int FROM mail_messages WHERE status = 'queued') AS mails,
        (SELECT count(*)::int FROM webhook_deliveries WHERE status = 'pending') AS hooks,
        (SELECT count(*)::int FROM bulk_operations WHERE status IN ('queued', 'running')) AS bulk,
        (SELECT count(*)::int FROM outbox_events WHERE dispatched_at IS NULL) AS outbox,
        (SELECT count(*)::int FROM enrollments WHERE notified_at IS NULL) AS told`);
      const r = q.rows[0]!;
      drain = JSON.stringify(r);
      return r.mails + r.hooks + r.bulk + r.outbox + r.told === 0;
    },
    300_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}: still waiting ${drain}`);
  });

  // Writes: every acknowledged one is there once; an unanswered one (in flight at the kill) at most once.
  const posts = await db.query<{ body: string; n: number }>(`SELECT body, count(*)::int AS n FROM posts WHERE body LIKE 'cluster post %' GROUP BY body`);
  const postCount = new Map(posts.rows.map((r) => [r.body.slice('cluster post '.length), r.n]));
  const lostPosts = ledger.posts.acked.filter((k) => postCount.get(k) !== 1).length;
  const doubled = posts.rows.filter((r) => r.n > 1).length;
  check(lostPosts === 0 && doubled === 0, `posts: ${ledger.posts.acked.length} acknowledged, ${lostPosts} lost, ${doubled} doubled (${ledger.posts.unknown.length} unanswered)`);
  const users = await db.query<{ email: string }>(`SELECT email FROM users WHERE email LIKE 'hire-%'`);
  const userSet = new Set(users.rows.map((r) => r.email));
  const lostUsers = ledger.users.acked.filter((e) => !userSet.has(e)).length;
  check(lostUsers === 0 && users.rows.length <= ledger.users.acked.length + ledger.users.unknown.length, `people: ${ledger.users.acked.length} acknowledged, ${lostUsers} lost`);
  const members = await db.query<{ pair: string }>(`SELECT group_id::text || '/' || user_id::text AS pair FROM memberships WHERE group_id = $1 AND role = 'learner'`, [world.groups.c]);
  const memberSet = new Set(members.rows.map((r) => r.pair));
  const wrong = [...ledger.memberships].filter(([pair, state]) => state !== 'unknown' && (state === 'in') !== memberSet.has(pair)).length;
  check(wrong === 0, `memberships: ${ledger.memberships.size} toggled pairs, ${wrong} not as last acknowledged`);
  const bulkDone = await db.query<{ id: string; status: string }>(`SELECT id::text, status FROM bulk_operations WHERE id = ANY($1::uuid[])`, [ledger.bulk.map((b) => b.id)]);
  const inD = new Set((await db.query<{ u: string }>(`SELECT user_id::text AS u FROM memberships WHERE group_id = $1`, [world.groups.d])).rows.map((r) => r.u));
  const bulkOk = bulkDone.rows.length === ledger.bulk.length && bulkDone.rows.every((r) => r.status === 'completed') && ledger.bulk.every((b) => b.users.every((u) => inD.has(u)));
  check(bulkOk, `bulk: ${ledger.bulk.length} operations acknowledged, all completed with their memberships`);

  // Files: every acknowledged upload downloads, byte for byte, from each node directly.
  let fileChecks = 0;
  let fileBad = 0;
  for (const f of ledger.files) {
    for (const port of ports) {
      const res = await call(`http://127.0.0.1:${port}`, { path: `/api/v1/posts/${f.postId}/attachments/${f.fileId}`, token: f.token }, 3);
      fileChecks += 1;
      if (res?.status !== 200 || createHash('sha256').update(res.bytes).digest('hex') !== f.sha256) fileBad += 1;
    }
  }
  check(fileBad === 0 && ledger.downloads.bad === 0, `uploads: ${ledger.files.length} acknowledged, ${fileChecks} downloads from each node, ${fileBad} bad; ${ledger.downloads.ok} downloads during the load, ${ledger.downloads.bad} bad`);

  // Mails: each sent row reached the SMTP sink, once; only a mail in flight on the killed node (each node sends one
  // at a time) may have been accepted by SMTP before its node could mark it sent, and goes again with the same
  // Message-ID, which receivers deduplicate on.
  const sent = await db.query<{ id: string; kind: string }>(`SELECT id::text, kind FROM mail_messages WHERE status = 'sent'`);
  const failedMails = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM mail_messages WHERE status <> 'sent'`)).rows[0]!.n;
  const mailDup = [...mail.received.values()].filter((n) => n > 1).length;
  const mailMissing = sent.rows.filter((r) => !mail.received.has(r.id)).length;
  const mailExtra = [...mail.received.keys()].filter((id) => !sent.rows.some((r) => r.id === id)).length;
  const kinds = new Map<string, number>();
  for (const r of sent.rows) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
  check(
    mailDup <= 1 && mailMissing === 0 && mailExtra === 0 && failedMails === 0,
    `mails: ${sent.rows.length} sent (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), ${mailMissing} missing, ${mailExtra} unknown, ${failedMails} unsent, ${mailDup} sent again (in flight at the kill)`,
  );

  // Digests: the run was queued three times during the kill; each observer got one digest.
  const digests = await db.query<{ to: string; n: number }>(`SELECT "to", count(*)::int AS n FROM mail_messages WHERE kind = 'observer_digest' GROUP BY "to"`);
  const runs = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM digest_runs`);
  const claimed = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM digest_deliveries`)).rows[0]!.n;
  check(
    digests.rows.length > 0 && digests.rows.length === claimed && digests.rows.every((r) => r.n === 1) && runs.rows[0]!.n === 1,
    `digests: run queued 3 times, ${runs.rows[0]!.n} run, ${digests.rows.length} of ${world.observers.length} observers had news, each got ${[...new Set(digests.rows.map((r) => r.n))].join('/')} digest`,
  );

  // Webhooks: every event reached the receiver; only the delivery in flight on the killed node (one at a time per node)
  // may arrive twice, with the same event id and X-Covey-Delivery, which receivers deduplicate on.
  const events = await db.query<{ id: string }>(`SELECT id::text FROM outbox_events`);
  const hookDup = [...hooks.received.values()].filter((n) => n > 1).length;
  const hookMissing = events.rows.filter((r) => !hooks.received.has(r.id)).length;
  check(
    events.rows.length > 0 && hookDup <= 1 && hookMissing === 0 && hooks.received.size === events.rows.length,
    `webhooks: ${events.rows.length} events, ${hooks.received.size} delivered, ${hookMissing} missing, ${hookDup} delivered again (in flight at the kill)`,
  );

  const statuses = [...stats.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s || 'cut'} ${n}`).join(', ');
  console.log(
    [
      '',
      `Cluster run: 3 nodes behind HAProxy, PostgreSQL, s3rver, Redis; ${SECONDS} s of load by ${WORKERS} clients, node2 SIGKILLed at ${SECONDS * 0.25} s and restarted`,
      `  requests      ${stats.requests} (${statuses}); by node ${[...stats.byNode].sort().map(([n, c]) => `${n} ${c}`).join(', ')}`,
      `  retried       ${stats.retried} (cut connections, 502/503, a key still running); ${stats.failed} without an answer after retries`,
      `  errors        ${errors.length} unexpected answers${errors.length ? `: ${[...new Set(errors)].slice(0, 5).join(' | ')}` : ''}`,
      `  reads         ${ledger.reads}`,
      ...checks.map((c) => `  ok            ${c}`),
      ...failures.map((c) => `  FAILED        ${c}`),
    ].join('\n'),
  );
  check(errors.length === 0, `no unexpected answers`);
} catch (error) {
  failures.push(`run: ${(error as Error).message}`);
} finally {
  await stop(haproxy);
  await Promise.all(nodes.map((n) => stop(n)));
  await db.end().catch(() => undefined);
  await Promise.all([s3.close(), redis.close(), mail.close(), hooks.close()]);
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
if (failures.length) {
  for (const f of failures) console.error(`FAILED: ${f}`);
  for (const file of fs.readdirSync(logDir)) {
    const text = fs.readFileSync(path.join(logDir, file), 'utf8').trim();
    if (text) console.error(`--- ${file} (last lines)\n${text.split('\n').slice(-15).join('\n')}`);
  }
}
fs.rmSync(logDir, { recursive: true, force: true });
console.log(`cluster: ${checks.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
