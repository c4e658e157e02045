import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { call, must } from './client.ts';

export type World = {
  owner: string;
  client: string;
  groups: { a: string; b: string; c: string; d: string };
  learners: { id: string; token: string; group: string }[];
  toggles: string[];
  observers: string[];
};

export type Ledger = {
  posts: { acked: string[]; unknown: string[] };
  files: { postId: string; fileId: string; sha256: string; token: string }[];
  users: { acked: string[]; unknown: string[] };
  /** Per toggled (group, user): the state the last acknowledged change left, or unknown after an unanswered one. */
  memberships: Map<string, 'in' | 'out' | 'unknown'>;
  bulk: { id: string; users: string[] }[];
  downloads: { ok: number; bad: number };
  reads: number;
};

export const ledger: Ledger = {
  posts: { acked: [], unknown: [] },
  files: [],
  users: { acked: [], unknown: [] },
  memberships: new Map(),
  bulk: [],
  downloads: { ok: 0, bad: 0 },
  reads: 0,
};

const PASSWORD = 'cluster-pass-1234';
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;
const email = (what: string) => `${what}-${randomUUID().slice(0, 8)}@cluster.covey.test`;

async function person(lb: string, owner: string, what: string, extra: Record<string, unknown> = {}) {
  const res = await must(lb, { method: 'POST', path: '/api/v1/users', token: owner, key: true, body: { email: email(what), firstName: what, lastName: 'Cluster', ...extra } });
  return res.json() as { id: string; email: string };
}

async function signIn(lb: string, address: string) {
  const res = await must(lb, { method: 'POST', path: '/api/v1/auth/login', body: { email: address, password: PASSWORD } });
  return (res.json() as { accessToken: string }).accessToken;
}

/** The workspace the load runs in, made through the load balancer like an admin would. */
export async function setUp(lb: string, ownerEmail: string, ownerPassword: string, webhookUrl: string, learnerCount = 12): Promise<World> {
  const owner = (
    (await must(lb, { method: 'POST', path: '/api/v1/auth/login', body: { email: ownerEmail, password: ownerPassword } })).json() as { accessToken: string }
  ).accessToken;
  await must(lb, { method: 'PATCH', path: '/api/v1/admin/workspace', token: owner, body: { digestFrequency: 'daily' } });
  await must(lb, { method: 'POST', path: '/api/v1/webhooks', token: owner, key: true, body: { url: webhookUrl, events: ['*'] } });
  const made = (await must(lb, { method: 'POST', path: '/api/v1/integrations/clients', token: owner, key: true, body: { name: 'cluster', scopes: ['users:read'] } })).json() as {
    clientId: string;
    clientSecret: string;
  };
  const client = (
    (await must(lb, { method: 'POST', path: '/api/v1/oauth/token', body: { grant_type: 'client_credentials', client_id: made.clientId, client_secret: made.clientSecret } })).json() as {
      access_token: string;
    }
  ).access_token;
  const group = async (name: string) => ((await must(lb, { method: 'POST', path: '/api/v1/groups', token: owner, key: true, body: { name } })).json() as { id: string }).id;
  const groups = { a: await group('Cluster A'), b: await group('Cluster B'), c: await group('Cluster C'), d: await group('Cluster D') };
  for (const [title, targets] of [
    ['Cluster onboarding', [groups.a, groups.b]],
    ['Cluster safety', [groups.c, groups.d]],
  ] as const) {
    const program = (
      (await must(lb, { method: 'POST', path: '/api/v1/programs', token: owner, key: true, body: { title, status: 'published', steps: [{ title: 'One' }, { title: 'Two' }] } })).json() as { id: string }
    ).id;
    for (const target of targets) await must(lb, { method: 'PUT', path: `/api/v1/programs/${program}/groups/${target}`, token: owner });
  }
  const observers: string[] = [];
  for (const g of [groups.a, groups.b, groups.c]) {
    const o = await person(lb, owner, 'observer', { password: PASSWORD });
    await must(lb, { method: 'PUT', path: `/api/v1/groups/${g}/members/${o.id}`, token: owner, body: { roles: ['observer'] } });
    observers.push(o.id);
  }
  const learners: World['learners'] = [];
  for (let i = 0; i < learnerCount; i += 1) {
    const g = i % 2 ? groups.b : groups.a;
    const l = await person(lb, owner, `learner${i}`, { password: PASSWORD, groups: [{ group: g }] });
    learners.push({ id: l.id, token: await signIn(lb, l.email), group: g });
  }
  const toggles: string[] = [];
  for (let i = 0; i < 6; i += 1) toggles.push((await person(lb, owner, `toggle${i}`, { password: PASSWORD })).id);
  return { owner, client, groups, learners, toggles, observers };
}

function pdf(): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(8_000 + Math.floor(Math.random() * 120_000))]);
}

const busy = new Set<string>();

/** The mixed load: each operation is one thing a person or an integration does. */
export function operations(lb: string, w: World): [weight: number, run: () => Promise<void>][] {
  const post = async (token: string, group: string, attachmentIds?: string[]) => {
    const key = randomUUID();
    const place = Math.random() < 0.5 ? '/api/v1/feed' : `/api/v1/groups/${group}/posts`;
    const res = await call(lb, { method: 'POST', path: place, token, key, body: { body: `cluster post ${key}`, attachmentIds } });
    if (res?.status === 201) ledger.posts.acked.push(key);
    else if (!res) ledger.posts.unknown.push(key);
    else throw new Error(`post answered ${res.status}: ${res.bytes.toString().slice(0, 200)}`);
    return res?.status === 201 ? (res.json() as { id: string }).id : null;
  };
  return [
    [
      40,
      async () => {
        const l = pick(w.learners);
        const path = pick(['/api/v1/me', '/api/v1/feed', '/api/v1/me/notifications', `/api/v1/groups/${l.group}/posts`, '/api/v1/me/groups']);
        const res = await call(lb, { path, token: l.token });
        if (res?.status !== 200) throw new Error(`GET ${path} answered ${res?.status ?? 'nothing'}`);
        ledger.reads += 1;
      },
    ],
    [
      15,
      async () => {
        const l = pick(w.learners);
        await post(l.token, l.group);
      },
    ],
    [
      10,
      async () => {
        const l = pick(w.learners);
        const data = pdf();
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(data)], { type: 'application/pdf' }), 'notes.pdf');
        const up = await call(lb, { method: 'POST', path: '/api/v1/attachments', token: l.token, key: true, form });
        if (!up) return;
        if (up.status !== 201) throw new Error(`upload answered ${up.status}: ${up.bytes.toString().slice(0, 200)}`);
        const fileId = (up.json() as { id: string }).id;
        const postId = await post(l.token, l.group, [fileId]);
        if (postId) ledger.files.push({ postId, fileId, sha256: createHash('sha256').update(data).digest('hex'), token: l.token });
      },
    ],
    [
      10,
      async () => {
        if (!ledger.files.length) return;
        const f = pick(ledger.files);
        const res = await call(lb, { path: `/api/v1/posts/${f.postId}/attachments/${f.fileId}`, token: f.token });
        const ok = res?.status === 200 && createHash('sha256').update(res.bytes).digest('hex') === f.sha256;
        if (ok) ledger.downloads.ok += 1;
        else ledger.downloads.bad += 1;
      },
    ],
    [
      10,
      async () => {
        const user = pick(w.toggles);
        const pair = `${w.groups.c}/${user}`;
        if (busy.has(pair)) return;
        busy.add(pair);
        try {
          const join = ledger.memberships.get(pair) !== 'in';
          const res = join
            ? await call(lb, { method: 'PUT', path: `/api/v1/groups/${w.groups.c}/members/${user}`, token: w.owner, body: { roles: ['learner'] } })
            : await call(lb, { method: 'DELETE', path: `/api/v1/groups/${w.groups.c}/members/${user}`, token: w.owner });
          if (!res) ledger.memberships.set(pair, 'unknown');
          else if (res.status < 300 || (!join && res.status === 404)) ledger.memberships.set(pair, join ? 'in' : 'out');
          else throw new Error(`membership change answered ${res.status}: ${res.bytes.toString().slice(0, 200)}`);
        } finally {
          busy.delete(pair);
        }
      },
    ],
    [
      5,
      async () => {
        const address = email('hire');
        const res = await call(lb, { method: 'POST', path: '/api/v1/users', token: w.owner, key: true, body: { email: address, firstName: 'New', lastName: 'Hire', groups: [{ group: w.groups.b }] } });
        if (res?.status === 201) ledger.users.acked.push(address);
        else if (!res) ledger.users.unknown.push(address);
        else throw new Error(`user creation answered ${res.status}: ${res.bytes.toString().slice(0, 200)}`);
      },
    ],
    [
      5,
      async () => {
        const users = [...new Set([pick(w.learners).id, pick(w.learners).id, pick(w.learners).id])];
        const operations = users.map((user) => ({ op: 'add' as const, user, group: w.groups.d }));
        const res = await call(lb, { method: 'POST', path: '/api/v1/bulk/memberships', token: w.owner, key: true, body: { operations } });
        if (res && res.status === 202) ledger.bulk.push({ id: (res.json() as { id: string }).id, users });
        else if (res) throw new Error(`bulk answered ${res.status}: ${res.bytes.toString().slice(0, 200)}`);
      },
    ],
  ];
}

/**
 * `workers` loops, each picking weighted operations until the deadline, each operation taking at least `paceMs` (the
 * load is the same on a fast machine as on a slow one: its mails and webhook deliveries drain in bounded time);
 * errors are counted, never thrown.
 */
export async function runLoad(ops: ReturnType<typeof operations>, workers: number, until: number, errors: string[], paceMs = 250) {
  const total = ops.reduce((sum, [weight]) => sum + weight, 0);
  const choose = () => {
    let r = Math.random() * total;
    for (const [weight, run] of ops) if ((r -= weight) < 0) return run;
    return ops[0]![1];
  };
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) {
        const started = Date.now();
        await choose()().catch((error: unknown) => errors.push((error as Error).message));
        const rest = paceMs - (Date.now() - started);
        if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
      }
    }),
  );
}
