import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClientTypes } from '../../examples/generate-client.ts';
import { createTestContext, type TestContext, type TestUser } from '../helpers.ts';

/**
 * The README's typed client, for real: types generated from the served /api/openapi.json (openapi-typescript),
 * the example type-checked against them (tsc), then run with openapi-fetch over HTTP against the app: it uploads a
 * group logo and downloads the group's learners as CSV.
 */
const examples = path.resolve(import.meta.dirname, '../../examples');
let t: TestContext;
let admin: TestUser;
let base: string;
beforeAll(async () => {
  t = await createTestContext();
  admin = await t.user('admin');
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}, 180_000);
afterAll(async () => {
  // The client's keep-alive sockets (fetch's pool) are not requests the server must wait for: closing the app waits
  // for connections still open, and on a busy machine one may not yet count as idle. A connection the server itself
  // held (a stream left open, its database connection unreleased) would still show: closing the database waits for it.
  t?.app.server.closeAllConnections();
  await t?.close();
});

describe('a typed client generated from /api/openapi.json', () => {
  it('type-checks the example against the generated types', async () => {
    const doc: unknown = await (await fetch(`${base}/api/openapi.json`)).json();
    fs.writeFileSync(path.join(examples, 'covey-api.d.ts'), await generateClientTypes(doc as object));
    const tsc = path.resolve(import.meta.dirname, '../../node_modules/.bin/tsc');
    const run = await promisify(execFile)(tsc, ['-p', path.join(examples, 'tsconfig.json')]).catch((e: { stdout: string; code: number }) => e);
    expect('code' in run ? run.stdout : '').toBe('');
  }, 180_000);

  it('uploads a logo and downloads the learners CSV', async () => {
    const group = await t.group('Typed');
    const learner = await t.user('learner');
    await t.member(group.id, learner.id, 'learner');
    // Imported by path: the example's types exist only once the test above generated them.
    const example = (await import(path.join(examples, 'typed-client.ts'))) as {
      uploadLogoAndDownloadLearners: (base: string, token: string, group: string, logo: Blob) => Promise<{ logoUrl: string | null; csv: string; contentType: string | null }>;
    };
    const { uploadLogoAndDownloadLearners } = example;
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#225588' } }).png().toBuffer();
    const result = await uploadLogoAndDownloadLearners(base, admin.token, group.id, new Blob([png], { type: 'image/png' }));
    expect(result.logoUrl).toMatch(/^\/api\/v1\/files\/[0-9a-f-]{36}$/);
    expect(result.contentType).toMatch(/^text\/csv/);
    const [header, ...rows] = result.csv.trim().split(/\r?\n/);
    expect(header).toContain('email');
    expect(rows.join('\n')).toContain(learner.email);
    const logo = await fetch(`${base}${result.logoUrl}`);
    expect(logo.headers.get('content-type')).toBe('image/webp');
    // Read to the end: a body left unread keeps the connection busy, and closing the server waits for it.
    expect((await logo.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });
});
