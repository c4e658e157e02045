import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './helpers.ts';

type Operation = {
  operationId?: string;
  tags?: string[];
  summary?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

let t: TestContext;
let doc: { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };
beforeAll(async () => {
  t = await createTestContext();
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(async () => t?.close());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with reusable schemas as components', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Problem', 'User', 'Group', 'Program']));
  });

  it('gives every operation a unique operationId, a tag and a summary', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(30);
    const missing = ops.filter(({ op }) => !op.operationId || !op.tags?.length || !op.summary).map((o) => `${o.method} ${o.path}`);
    expect(missing).toEqual([]);
    const ids = ops.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents error responses of every operation as problem+json', () => {
    const bad: string[] = [];
    for (const { path, method, op } of operations()) {
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      if (!errors.length) bad.push(`${method} ${path}: no error response`);
      for (const [status, response] of errors) {
        // The OAuth token endpoint answers RFC 6749 errors (application/json) for 400 and 401.
        const oauth = op.operationId === 'issueToken' && (status === '400' || status === '401') && response.content?.['application/json'];
        if (!response.content?.['application/problem+json'] && !oauth) bad.push(`${method} ${path} ${status}: not problem+json`);
      }
      const authenticated = op.security === undefined || op.security.length > 0;
      if (authenticated && !op.responses['401']) bad.push(`${method} ${path}: authenticated but no 401`);
    }
    expect(bad).toEqual([]);
  });

  it('matches the API contract paths', () => {
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/v1/auth/login',
      '/api/v1/users/{user}',
      '/api/v1/users/ext:{externalId}',
      '/api/v1/groups/{group}/members/{user}',
      '/api/v1/groups/{group}/logo',
      '/api/v1/programs/{programId}/groups/{group}',
      '/api/v1/programs/{programId}/enrollments',
      '/api/v1/programs/{programId}/steps/{stepId}/complete',
    ]) {
      expect(paths).toContain(p);
    }
  });

  it('serves the interactive reference', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });
});
