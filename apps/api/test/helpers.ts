import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import type { GroupRole, WorkspaceRole } from '@covey/schema';
import { buildApp } from '../src/app.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { loadEnv, type Env } from '../src/env.ts';
import { hashPassword } from '../src/lib/passwords.ts';
import { chunks } from '../src/lib/chunks.ts';
import { DEMO_PASSWORD } from '../src/db/seed.ts';
import { withDatabase } from './global-setup.ts';
import { installWireCheck, type Violation } from './contract/wire-check.ts';
export { WIRE_CHECK_SKIP } from './contract/wire-check.ts';

/** Violations, one line per distinct (operation, status, problem), with one request that showed it. */
export function describeViolations(violations: Violation[]): string {
  const seen = new Map<string, Violation & { times: number }>();
  for (const v of violations) {
    const key = `${v.operationId} ${v.status} ${v.problem.replace(/"[^"]*"/g, '…')}`;
    const hit = seen.get(key);
    if (hit) hit.times += 1;
    else seen.set(key, { ...v, times: 1 });
  }
  return [...seen.values()].map((v) => `  ${v.operationId} -> ${v.status}: ${v.problem} (${v.times}x, e.g. ${v.request})`).join('\n');
}

export const PASSWORD = 'correct-horse-battery';
let passwordHash: Promise<string> | undefined;

export type TestUser = { id: string; email: string; role: WorkspaceRole; token: string };

export type TestContext = {
  app: FastifyInstance;
  db: Database;
  env: Env;
  /** A user with a fresh access token. */
  user(role?: WorkspaceRole, data?: Record<string, unknown>): Promise<TestUser>;
  group(name?: string, parentId?: string | null, extra?: Record<string, unknown>): Promise<{ id: string; name: string }>;
  member(groupId: string, userId: string, ...roles: GroupRole[]): Promise<void>;
  program(data?: Record<string, unknown>): Promise<{ id: string; stepIds: string[] }>;
  /** app.inject with a bearer token. */
  as(user: TestUser | null, options: InjectOptions): Promise<LightMyRequestResponse>;
  /** What the contract check (contract/wire-check.ts) found so far: close() fails when there is any. */
  violations: Violation[];
  close(): Promise<void>;
};

/** A real app on a fresh, migrated database: embedded PGlite, or the PostgreSQL server when DATABASE_URL is set. */
export async function createTestContext(
  overrides: Record<string, string> = {},
  options: {
    rewriteUrl?: (url: string) => string;
    /**
     * The contract check is on for every test app, and a violation fails the file. A file that deliberately
     * speaks outside the document turns it off here, saying why: `{ off: 'why' }` (keep these rare; one request
     * can opt out instead, with the WIRE_CHECK_SKIP header).
     */
    wireCheck?: { off: string };
  } = {},
): Promise<TestContext> {
  const pgTemplate = inject('pgTemplate');
  const databaseUrl = inject('databaseUrl');
  let db: Database;
  let dropDatabase = async () => undefined as void;
  if (pgTemplate && databaseUrl) {
    const name = `covey_t_${process.ppid}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplate}`);
    await admin.end();
    const url = withDatabase(databaseUrl, name);
    db = await openDatabase({ url: options.rewriteUrl ? options.rewriteUrl(url) : url, poolSize: 5 });
    dropDatabase = async () => {
      const a = new pg.Client({ connectionString: databaseUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
  } else {
    const file = inject('pgliteTemplate');
    if (!file) throw new Error('No test database template');
    db = await openDatabase({ dataDir: null, loadDataDir: new Blob([fs.readFileSync(file)]) });
  }
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'covey-files-'));
  const env = loadEnv({ NODE_ENV: 'test', COVEY_FILES_DIR: filesDir, LOG_LEVEL: 'silent', ...overrides });
  const violations: Violation[] = [];
  const app = await buildApp({
    env,
    db,
    jobs: overrides.COVEY_TEST_JOBS === '1',
    // Every request and response of the test suite is checked against the OpenAPI document.
    instrument: options.wireCheck?.off ? undefined : (instance) => installWireCheck(instance, violations),
  });
  await app.ready();
  const prisma = db.prisma;
  let counter = 0;

  const ctx: TestContext = {
    app,
    db,
    env,
    async user(role = 'learner', data = {}) {
      passwordHash ??= hashPassword(PASSWORD);
      counter += 1;
      const email = `u${counter}-${randomUUID().slice(0, 8)}@test.covey`;
      const user = await prisma.user.create({
        data: { email, firstName: `First${counter}`, lastName: `Last${counter}`, role, passwordHash: await passwordHash, ...data },
      });
      return { id: user.id, email, role, token: app.jwt.sign({ typ: 'access', sub: user.id, role }) };
    },
    async group(name = `Group ${++counter}`, parentId = null, extra = {}) {
      const group = await prisma.group.create({ data: { name, parentId, ...extra } });
      return { id: group.id, name: group.name };
    },
    async member(groupId, userId, ...roles) {
      await prisma.membership.createMany({ data: roles.map((role) => ({ groupId, userId, role })) });
    },
    async program(data = {}) {
      const program = await prisma.program.create({
        data: {
          title: `Program ${++counter}`,
          status: 'published',
          steps: { create: [0, 1, 2, 3].map((position) => ({ position, title: `Step ${position + 1}` })) },
          ...data,
        },
        include: { steps: { orderBy: { position: 'asc' } } },
      });
      return { id: program.id, stepIds: program.steps.map((s) => s.id) };
    },
    as(user, options) {
      return app.inject({
        ...options,
        headers: { ...(options.headers ?? {}), ...(user ? { authorization: `Bearer ${user.token}` } : {}) },
      });
    },
    violations,
    async close() {
      await app.close();
      await db.close();
      await dropDatabase();
      fs.rmSync(filesDir, { recursive: true, force: true });
      if (!violations.length) return;
      const report = `The API and its OpenAPI document disagree:\n${describeViolations(violations)}`;
      // The file fails; COVEY_WIRE_CHECK=warn only reports (to list every disagreement of a run at once).
      if (process.env.COVEY_WIRE_CHECK === 'warn') console.warn(report);
      else throw new Error(report);
    },
  };
  return ctx;
}

/** A test app with an admin in it: the most common set-up of a test file (`({ t, admin } = await withAdmin())`). */
export async function withAdmin(overrides: Record<string, string> = {}) {
  const t = await createTestContext(overrides);
  return { t, admin: await t.user('admin') };
}

/** Asserts an RFC 9457 problem response and returns its body. */
export function problem(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number) {
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}, got ${response.statusCode}: ${JSON.stringify(response.json())}`);
  }
  const type = String(response.headers['content-type']);
  if (!type.startsWith('application/problem+json')) throw new Error(`expected problem+json, got ${type}`);
  return response.json() as { code: string; status: number; title: string; detail: string; errors?: { field: string; message: string }[] };
}

/** A large createMany in parts, one after the other (see lib/chunks.ts). */
export async function createInParts<T>(create: (data: T[]) => Promise<unknown>, rows: T[], size = 2_500) {
  for (const part of chunks(rows, size)) await create(part);
}

/** RFC 4180: fields separated by commas, quoted when they hold commas, quotes or newlines; "" is a quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** Signs a demo workspace person in (`learner1`, `observer1`, …) with the demo password, through the real login. */
export async function signInDemo(t: TestContext, local: string): Promise<TestUser> {
  const email = `${local}@demo.covey.test`;
  const res = await t.as(null, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`demo sign-in of ${email}: ${res.statusCode} ${res.body}`);
  return { id: res.json().user.id, email, role: res.json().user.role, token: res.json().accessToken };
}
