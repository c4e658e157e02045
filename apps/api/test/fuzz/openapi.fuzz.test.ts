import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestUser } from '../helpers.ts';
import { anyFor, hostileScalar, resolver, valid, type Schema } from './arbitraries.ts';

/**
 * Property-based fuzzing of every operation of the OpenAPI document: random valid and hostile params, queries,
 * headers and bodies, as an admin and sometimes anonymously. The server never answers 5xx, every 4xx is
 * problem+json, and nothing invalid is stored. FUZZ_RUNS cases per operation (`pnpm fuzz` runs 2000).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema };
type Operation = {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};
type Doc = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

let t: TestContext;
let admin: TestUser;
let doc: Doc;
let ids: string[];

beforeAll(async () => {
  t = await createTestContext({ CLIENT_RATE_LIMIT: '100000', API_RATE_LIMIT: '1000000' });
  doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Doc>();
  admin = await t.user('admin');
  // Real ids, so that some cases get past the lookups; the admin's own id is left out so it never locks itself out.
  const victim = await t.user('learner', { externalId: 'victim' });
  const group = await t.group('Fuzz', null, { externalId: 'fuzz' });
  const sub = await t.group('Fuzz child', group.id);
  await t.member(sub.id, victim.id, 'learner');
  const program = await t.program();
  const post = await t.as(victim, { method: 'POST', url: `/api/v1/groups/${sub.id}/posts`, payload: { body: 'fuzz' } });
  ids = [victim.id, `email:${victim.email}`, 'ext:victim', group.id, sub.id, 'ext:fuzz', program.id, ...program.stepIds, post.json<{ id: string }>().id];
}, 60_000);
afterAll(async () => {
  if (seen.size) console.warn(`fuzz: known issues hit:\n${[...seen].map(([id, example]) => `  ${id}: e.g. ${example}`).join('\n')}`);
  await t?.close();
});

/**
 * Defects found by fuzzing and reported, not hidden: a response matching one is printed instead of failing.
 * Remove an entry once fixed.
 */
// Fixed since they were found: NUL characters (now 400), malformed multipart bodies (400), over-long path
// parameters (414 as problem+json).
const knownIssues: { id: string; why: string; matches: (res: LightMyRequestResponse, req: Sent) => boolean }[] = [];
type Sent = { operationId: string; url: string; query: Record<string, string>; payload: string | undefined; headers: Record<string, string> };
const seen = new Map<string, string>();

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

/** encodeURIComponent, with lone surrogates (which no URL can carry) replaced. */
const encode = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  }
};
const printable = fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '?'));

function caseFor(path: string, op: Operation) {
  const resolve = resolver(doc);
  const params = op.parameters ?? [];
  const pathValue = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ids) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: hostileScalar.map((v) => String(v)) },
  );
  const pathParams = fc.record(Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, pathValue])));
  const queryParams = fc.record(
    Object.fromEntries(
      params
        .filter((p) => p.in === 'query')
        .map((p) => [p.name, fc.oneof(valid(p.schema ?? {}, resolve), hostileScalar).map((v) => decodeURIComponent(encode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))))]),
    ),
    { requiredKeys: [] },
  );
  const json = op.requestBody?.content['application/json']?.schema;
  const body = fc.oneof(
    { weight: 6, arbitrary: (json ? anyFor(json, resolve) : fc.jsonValue({ maxDepth: 2 })).map((v) => ({ kind: 'json' as const, value: v })) },
    { weight: 1, arbitrary: fc.constantFrom('{"a":', '{"email": "x@y.z",}', '[1,2', '\u0000', 'null', '{"__proto__": {"admin": true}}').map((v) => ({ kind: 'raw' as const, value: v })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'raw' as const, value: `{"body":"${'x'.repeat(1_100_000)}"}` }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const, value: undefined }) },
  );
  const headers = fc.record(
    {
      'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'nonsense'),
      accept: fc.constantFrom('application/json', 'text/csv', '*/*', 'image/png', 'nonsense'),
      'idempotency-key': printable,
      'if-none-match': printable,
    },
    { requiredKeys: [] },
  );
  return fc.record({ path: pathParams, query: queryParams, body, headers, anonymous: fc.integer({ min: 0, max: 4 }).map((n) => n === 0) }).map((c) => ({
    ...c,
    url: path.replace(/\{(\w+)\}/g, (_, name: string) => encode((c.path as Record<string, string>)[name] ?? 'x')),
  }));
}

function checkResponse(res: LightMyRequestResponse, what: string) {
  expect(res.statusCode, `${what} -> ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
  // The token endpoint answers its own errors as RFC 6749 §5.2 says: application/json {error, error_description}.
  if (res.statusCode >= 400 && what.startsWith('issueToken ') && /^application\/json/.test(String(res.headers['content-type']))) {
    expect(res.json<{ error: unknown }>().error, what).toMatch(/^(invalid_request|invalid_client|invalid_grant|unauthorized_client|unsupported_grant_type|invalid_scope)$/);
    return;
  }
  if (res.statusCode >= 400) {
    expect(String(res.headers['content-type']), `${what} -> ${res.statusCode}`).toMatch(/^application\/problem\+json/);
    const problem = res.json<{ status: number; title: string; code: string }>();
    expect(problem.status, what).toBe(res.statusCode);
    expect(typeof problem.title, what).toBe('string');
    expect(typeof problem.code, what).toBe('string');
  }
}

describe('fuzzing every operation of the OpenAPI document', () => {
  it('covers the whole document', () => {
    expect(operations().length).toBeGreaterThan(80);
  });

  it.each([0, 1, 2, 3])('never answers 5xx, and answers every 4xx with problem+json (part %i of 4)', async (part) => {
    const ops = operations().filter((_, i) => i % 4 === part);
    for (const { path, method, op } of ops) {
      const details = await fc.check(
        fc.asyncProperty(caseFor(path, op), async (c) => {
          const payload = c.body.kind === 'json' ? JSON.stringify(c.body.value) : c.body.value;
          const headers: Record<string, string> = { ...c.headers };
          if (!c.anonymous) headers.authorization = `Bearer ${admin.token}`;
          if (payload === undefined) delete headers['content-type'];
          const options: InjectOptions = { method: method, url: c.url, query: c.query as Record<string, string>, headers, ...(payload === undefined ? {} : { payload }) };
          const res = await t.app.inject(options);
          const what = `${op.operationId} ${method} ${c.url.slice(0, 120)} query=${JSON.stringify(c.query).slice(0, 120)} headers=${JSON.stringify(c.headers)}${c.anonymous ? ' (anonymous)' : ''} body=${String(payload).slice(0, 120)}`;
          const known = knownIssues.find((k) => k.matches(res, { operationId: op.operationId, url: c.url, query: c.query as Record<string, string>, payload, headers }));
          if (known) seen.set(known.id, what);
          else checkResponse(res, what);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      // fast-check's own report prints whole counterexamples (megabytes of payload): this one stays readable.
      if (details.failed) {
        const error = String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance).slice(0, 1500);
        throw new Error(`${op.operationId}: failed after ${details.numRuns} runs (FUZZ_SEED=${details.seed}): ${error}`);
      }
    }
  }, 600_000);

  it('stores nothing invalid', async () => {
    const emailPattern = /^[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$/;
    const users = await t.db.prisma.user.findMany({ select: { email: true, firstName: true, lastName: true, externalId: true } });
    const badUsers = users.filter(
      (u) =>
        !emailPattern.test(u.email) ||
        u.email.length > 320 ||
        !u.firstName.trim() ||
        u.firstName.length > 100 ||
        u.lastName.length > 100 ||
        (u.externalId !== null && (u.externalId.length === 0 || u.externalId.length > 255)),
    );
    expect(badUsers).toEqual([]);
    const groups = await t.db.prisma.group.findMany({ select: { name: true, description: true } });
    expect(groups.filter((g) => !g.name.trim() || g.name.length > 200 || (g.description?.length ?? 0) > 5000)).toEqual([]);
    const posts = await t.db.prisma.post.findMany({ select: { body: true } });
    expect(posts.filter((p) => !p.body.trim() || p.body.length > 20_000)).toEqual([]);
    const programs = await t.db.prisma.program.findMany({ select: { title: true } });
    expect(programs.filter((p) => !p.title.trim() || p.title.length > 300)).toEqual([]);
    const hooks = await t.db.prisma.webhookEndpoint.findMany({ select: { url: true } });
    expect(hooks.filter((h) => !/^https?:\/\//.test(h.url))).toEqual([]);
  });
});
