import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers.ts';
import { ACTORS, MATRIX, SCIM_ROWS, TARGET_MATRIX, TARGETS, expected, knownIssues, type Row } from './matrix.ts';
import { buildWorld, type Actor, type World } from './world.ts';

type Operation = { method: string; path: string; operationId: string };

let t: TestContext;
let w: World;
let operations: Operation[];

beforeAll(async () => {
  // Integration clients are rate-limited per minute; the matrix calls each of them ~100 times.
  t = await createTestContext({ CLIENT_RATE_LIMIT: '100000', LOGIN_RATE_LIMIT: '100000' });
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, { operationId: string }>>;
  }>();
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, operationId: op.operationId })),
  );
  w = await buildWorld(t);
}, 120_000);
afterAll(async () => t?.close());

/** Default objects for path params; rows override them (throwaway objects, other groups' objects). */
function defaultParams(op: Operation): Record<string, string> {
  return {
    group: w.A1,
    user: w.learner2.id,
    programId: w.P.id,
    stepId: w.P.stepIds[0]!,
    postId: w.postA1,
    fileId: w.logoFileId,
    documentId: w.documentId,
    ruleId: w.ruleId,
    operationId: w.bulkOperationId,
    webhookId: w.webhookId,
    deliveryId: w.deliveryId,
    externalId: `ext-${op.operationId}`,
  };
}

async function call(op: Operation, row: Row, actor: Actor) {
  const req = (await row.req?.(w, actor)) ?? {};
  const params = { ...defaultParams(op), ...req.params };
  const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`${op.operationId}: no value for {${name}}`);
    return encodeURIComponent(params[name]!);
  });
  const token = w.tokens[actor];
  return t.app.inject({
    method: op.method as 'GET',
    url,
    query: req.query,
    payload: req.payload as never,
    headers: { ...req.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

const label = (row: Row) => (row.variant ? `${row.op}#${row.variant}` : row.op);

/** Calls every row for each of its actors; answers the cells that differ from the table, and how many were called. */
async function runRows(rows: Row[]) {
  const byId = new Map(operations.map((o) => [o.operationId, o]));
  const differing: string[] = [];
  let cells = 0;
  for (const row of rows) {
    const op = byId.get(row.op);
    if (!op) continue;
    for (const actor of row.only ?? ACTORS) {
      const res = await call(op, row, actor);
      const want = expected(row, actor);
      cells += 1;
      if (res.statusCode !== want) {
        const code = res.headers['content-type']?.toString().includes('json') ? res.json<{ code?: string }>().code : undefined;
        differing.push(`${label(row)} ${actor}: expected ${want}, got ${res.statusCode}${code ? ` (${code})` : ''}`);
      }
      await row.after?.(w, actor);
    }
  }
  return { differing, cells };
}

describe('authorization matrix', () => {
  it('has a row for every operation of the OpenAPI document, and no row for an unknown one', () => {
    const documented = new Set(operations.map((o) => o.operationId));
    const tabled = new Set(MATRIX.map((r) => r.op));
    expect([...documented].filter((id) => !tabled.has(id)), 'operations missing from test/authz/matrix.ts').toEqual([]);
    expect([...tabled].filter((id) => !documented.has(id)), 'rows for operations that no longer exist').toEqual([]);
  });

  it('answers every cell as the table says', async () => {
    // Destructive rows create their own throwaway objects, so the order of rows does not matter.
    const { differing, cells: tabled } = await runRows(MATRIX);
    let cells = tabled;
    for (const row of SCIM_ROWS) {
      for (const actor of ACTORS) {
        const token = w.tokens[actor];
        const res = await t.app.inject({
          method: row.method,
          url: row.url,
          headers: { 'content-type': 'application/scim+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          ...(row.payload ? { payload: JSON.stringify(row.payload(w)) } : {}),
        });
        cells += 1;
        const want = actor === 'scim' ? row.expect : 401;
        if (res.statusCode !== want) differing.push(`${row.method} ${row.url} ${actor}: expected ${want}, got ${res.statusCode}`);
      }
    }
    const known = new Map(knownIssues.map((k) => [k.cell, k]));
    if (knownIssues.length) {
      console.warn(`authz matrix: ${knownIssues.length} known issue(s):\n${knownIssues.map((k) => `  ${k.cell} -> ${k.actual}: ${k.why}`).join('\n')}`);
    }
    const unexplained = differing.filter((d) => {
      const k = known.get(d.slice(0, d.indexOf(':')));
      return !k || !d.includes(`got ${k.actual}`);
    });
    const fixed = knownIssues.filter((k) => !differing.some((d) => d.startsWith(`${k.cell}:`))).map((k) => k.cell);
    console.info(`authz matrix: ${operations.length} operations, ${MATRIX.length} rows, ${ACTORS.length} actors, ${cells} cells`);
    expect(unexplained).toEqual([]);
    expect(fixed, 'known issues that now match the table: remove them from knownIssues').toEqual([]);
  }, 240_000);

  it('answers every operation on a person by the target’s rank and reach, for every actor', async () => {
    const { differing, cells } = await runRows(TARGET_MATRIX);
    console.info(`authz matrix, target dimension: ${TARGETS.length} targets, ${TARGET_MATRIX.length} rows, ${cells} cells`);
    expect(differing).toEqual([]);
  }, 600_000);
});
