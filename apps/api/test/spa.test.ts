import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createTestContext, type TestContext } from './helpers.ts';

/** The built SPA served on the API's port: real files, pre-compressed copies, and index.html for client routes. */
let t: TestContext;
let app: FastifyInstance;
const script = `console.log(${JSON.stringify('covey '.repeat(200))});\n`;

beforeAll(async () => {
  t = await createTestContext();
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'covey-dist-'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Covey</title><div id="root"></div>');
  // What `vite build` writes: the web app's own robots.txt, and .br/.gz copies beside each text asset.
  fs.copyFileSync(path.join(import.meta.dirname, '../../web/public/robots.txt'), path.join(dist, 'robots.txt'));
  fs.writeFileSync(path.join(dist, 'assets/app-abc123.js'), script);
  fs.writeFileSync(path.join(dist, 'assets/app-abc123.js.br'), brotliCompressSync(script));
  fs.writeFileSync(path.join(dist, 'assets/app-abc123.js.gz'), gzipSync(script));
  app = await buildApp({ env: t.env, db: t.db, webDist: dist });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('the SPA', () => {
  it('answers /robots.txt with the real file, not the app', async () => {
    const res = await app.inject({ method: 'GET', url: '/robots.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/^User-agent: \*$/m);
    expect(res.body).toMatch(/^Disallow: \/$/m);
  });

  it('sends the pre-compressed copy the browser accepts (brotli first), and the plain file otherwise', async () => {
    const br = await app.inject({ method: 'GET', url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(script.length / 4);
    const gz = await app.inject({ method: 'GET', url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await app.inject({ method: 'GET', url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('answers client-side routes with index.html, and unknown API paths with a problem', async () => {
    const page = await app.inject({ method: 'GET', url: '/groups/123' });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<div id="root">');
    const api = await app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('security headers', () => {
  it('come with every answer: a page, a file, an API answer, an error', async () => {
    const user = await t.user('learner');
    const answers = [
      await app.inject({ method: 'GET', url: '/groups/123' }),
      await app.inject({ method: 'GET', url: '/assets/app-abc123.js' }),
      await app.inject({ method: 'GET', url: '/api/health' }),
      await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${user.token}` } }),
      await app.inject({ method: 'GET', url: '/api/v1/me' }),
      await app.inject({ method: 'GET', url: '/api/v1/nope' }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 401, 404]);
    for (const a of answers) {
      expect(a.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(a.headers['content-security-policy']).toContain("img-src 'self' data: blob:");
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(a.headers['referrer-policy']).toBe('no-referrer');
      expect(a.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(a.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(a.headers['strict-transport-security']).toBeUndefined();
      expect(a.headers['x-powered-by']).toBeUndefined();
    }
  });
});
