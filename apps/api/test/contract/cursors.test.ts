import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext } from '../helpers.ts';
import { buildWorld, type World } from '../authz/world.ts';

/**
 * Every paged list of the OpenAPI document (any operation with a `cursor` query parameter) refuses a crafted
 * cursor with 400 invalid_cursor: the cursor's parts are checked (time, UUID, number, text) before any query.
 */
type Doc = { paths: Record<string, Record<string, { operationId: string; parameters?: { name: string; in: string }[] }>> };

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const CRAFTED = [
  'WzEsMl0', // [1,2]
  'garbage!',
  b64('[1e400, 1]'),
  b64(['a', 'b']),
  b64(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
  b64(['x\u0000y', '7d1f3c2a-0000-4000-8000-000000000000']),
  b64([{ a: 1 }, '7d1f3c2a-0000-4000-8000-000000000000']),
  b64([true]),
  b64(['x', 12]),
  b64([null]),
  b64({ a: 1 }),
  b64([]),
  b64(['a', 'b', 'c']),
  b64('x'.repeat(20_000)),
];

/** Lists ordered by (time, id): a cursor whose time is not one is refused too. */
const TIME_KEYED = ['listUsers', 'listPrograms', 'listFeeds', 'listGroupPosts', 'listProgramComments', 'listComments', 'listMyNotifications', 'listMailbox', 'listWebhookDeliveries', 'listAuditLog'];
const BAD_TIMES = [
  b64(['2026-13-45T99:00:00Z', '7d1f3c2a-0000-4000-8000-000000000000']),
  b64(['-infinity', '7d1f3c2a-0000-4000-8000-000000000000']),
  b64(['294277-01-01T00:00:00Z', '7d1f3c2a-0000-4000-8000-000000000000']),
  b64([1, '7d1f3c2a-0000-4000-8000-000000000000']),
];

let t: TestContext;
let w: World;
let doc: Doc;
beforeAll(async () => {
  t = await createTestContext();
  w = await buildWorld(t);
  doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Doc>();
}, 300_000);
afterAll(async () => t?.close());

const paged = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, op]) => op.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'))
      .map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );

describe('crafted cursors', () => {
  it('answer 400 invalid_cursor on every paged list', async () => {
    const lists = paged();
    const checked: string[] = [];
    expect(lists.map((l) => l.op.operationId)).toEqual(
      expect.arrayContaining(['listUsers', 'listFeeds', 'listGroupPosts', 'listMyNotifications', 'listAuditLog', 'listPrograms', 'listGroupLearnerStats']),
    );
    const upload = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/people',
      headers: { authorization: `Bearer ${w.tokens.owner}`, 'content-type': 'text/csv' },
      payload: 'email,firstName,lastName\ncursor@example.com,Cur,Sor\n',
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const params: Record<string, string> = {
      group: w.A1,
      programId: w.P.id,
      postId: w.postA1,
      ruleId: w.ruleId,
      webhookId: w.webhookId,
      importId: upload.json<{ id: string }>().id,
    };
    for (const { path, method, op } of lists) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
        expect(params[name], `${op.operationId}: a value for {${name}}`).toBeDefined();
        return params[name]!;
      });
      // The list answers without a cursor (so a 400 below is the cursor's doing).
      const first = await t.app.inject({ method, url, headers: { authorization: `Bearer ${w.tokens.owner}` } });
      expect(first.statusCode, `${op.operationId}: ${first.body.slice(0, 200)}`).toBe(200);
      checked.push(op.operationId);
      for (const cursor of [...CRAFTED, ...(TIME_KEYED.includes(op.operationId) ? BAD_TIMES : [])]) {
        const res = await t.app.inject({ method, url, query: { cursor }, headers: { authorization: `Bearer ${w.tokens.owner}` } });
        expect(res.statusCode, `${op.operationId} cursor=${cursor.slice(0, 40)}: ${res.body.slice(0, 200)}`).toBe(400);
        expect(problem(res, 400).code).toMatch(/^(invalid_cursor|validation_failed)$/);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(TIME_KEYED));
  });

  it('a cursor of one sort order is refused by another (learner stats)', async () => {
    const auth = { authorization: `Bearer ${w.tokens.owner}` };
    const byName = await t.app.inject({ method: 'GET', url: `/api/v1/groups/${w.A1}/stats/learners?sort=name&limit=1`, headers: auth });
    const cursor = byName.json<{ nextCursor: string | null }>().nextCursor;
    expect(cursor).toBeTruthy();
    for (const sort of ['lastLogin', 'lastActivity', 'progress']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/groups/${w.A1}/stats/learners?sort=${sort}&limit=1&cursor=${cursor}`, headers: auth });
      expect(problem(res, 400).code).toBe('invalid_cursor');
    }
    const next = await t.app.inject({ method: 'GET', url: `/api/v1/groups/${w.A1}/stats/learners?sort=name&limit=1&cursor=${cursor}`, headers: auth });
    expect(next.statusCode).toBe(200);
  });
});
