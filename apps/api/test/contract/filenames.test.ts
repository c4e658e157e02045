import { parse } from 'content-disposition';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDisposition } from '../../src/lib/disposition.ts';
import { multipart } from '../authz/world.ts';
import { createTestContext, type TestContext, type TestUser } from '../helpers.ts';

/** Files named in any script upload and download: Content-Disposition per RFC 6266 with filename* (RFC 8187). */
let t: TestContext;
let admin: TestUser, learner: TestUser;
let group: string;
let png: Buffer;
const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

beforeAll(async () => {
  t = await createTestContext();
  [admin, learner] = await Promise.all([t.user('admin'), t.user('learner')]);
  group = (await t.group('Files')).id;
  await t.member(group, learner.id, 'learner');
  png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#336699' } }).png().toBuffer();
}, 180_000);
afterAll(async () => t?.close());

/** The name a client reads from the header, as RFC 6266 says (filename* wins over filename). */
const nameIn = (header: unknown) => parse(String(header)).parameters.filename;

describe('file names beyond ASCII', () => {
  it.each(['日本.png', 'Отчёт.png', 'naïve café.png', 'a"b\\c.png', 'emoji 🎓.png'])('a post attachment named %s uploads and downloads', async (name) => {
    const up = await t.as(learner, { method: 'POST', url: '/api/v1/attachments', ...multipart({}, { field: 'file', name, type: 'image/png', data: png }) });
    expect(up.statusCode, up.body).toBe(201);
    const fileId = up.json<{ id: string }>().id;
    const post = await t.as(learner, { method: 'POST', url: `/api/v1/groups/${group}/posts`, payload: { body: 'file', attachmentIds: [fileId] } });
    expect(post.statusCode, post.body).toBe(201);
    for (let i = 0; i < 2; i++) {
      const down = await t.as(learner, { method: 'GET', url: `/api/v1/posts/${post.json<{ id: string }>().id}/attachments/${fileId}` });
      expect(down.statusCode, down.body).toBe(200);
      // Images are re-encoded on upload (metadata stripped): still an image.
      expect(String(down.headers['content-type'])).toMatch(/^image\//);
      expect(down.rawPayload.length).toBeGreaterThan(0);
      const header = String(down.headers['content-disposition']);
      expect(header).toMatch(/^inline; filename=("[\x20-\x7e]*"|[\w.!#$&+^`|~-]+)/);
      expect(nameIn(header)).toBe(up.json<{ name: string }>().name);
    }
  });

  it.each(['Отчёт.pdf', '日本.pdf'])('a shared document named %s downloads under its name', async (name) => {
    const shared = await t.as(admin, { method: 'POST', url: `/api/v1/users/${learner.id}/documents`, ...multipart({ title: name }, { field: 'file', name, type: 'application/pdf', data: pdf }) });
    expect(shared.statusCode, shared.body).toBe(201);
    const down = await t.as(learner, { method: 'GET', url: `/api/v1/documents/${shared.json<{ id: string }>().id}` });
    expect(down.statusCode, down.body).toBe(200);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(down.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
    expect(nameIn(down.headers['content-disposition'])).toBe(name);
  });

  it('never writes a character a header cannot carry', () => {
    for (const name of ['日本.png', 'a\r\nb.pdf', 'x\u0000y', '\uD800lone', '"quoted"', 'back\\slash/and', '', null, '   ']) {
      const header = contentDisposition('attachment', name, 'file');
      expect(header).toMatch(/^attachment; filename=("[\x20-\x7e]*"|[\w.!#$&+^`|~-]+)(; filename\*=UTF-8''[\w%!'()*.~-]+)?$/);
      expect(() => new Headers({ 'content-disposition': header })).not.toThrow();
    }
    expect(nameIn(contentDisposition('inline', 'Отчёт.pdf', 'file'))).toBe('Отчёт.pdf');
    expect(nameIn(contentDisposition('inline', null, 'file'))).toBe('file');
  });
});
