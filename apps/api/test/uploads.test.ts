import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

let t: TestContext;
let admin: TestUser;
let png: Buffer;
beforeAll(async () => {
  // A small limit so the 413 case needs only a modest file; the 800x600 PNG stays well under it.
  t = await createTestContext({ UPLOAD_MAX_BYTES: '20000' });
  admin = await t.user('admin');
  png = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#336699' } }).png().toBuffer();
});
afterAll(async () => t?.close());

/** A multipart/form-data body built by hand, one file field. */
function multipart(data: Buffer, filename = 'logo.png', contentType = 'image/png', field = 'file') {
  const boundary = `----covey${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = (as: TestUser | null, groupId: string, kind: 'logo' | 'background', body: ReturnType<typeof multipart>) =>
  t.as(as, { method: 'PUT', url: `/api/v1/groups/${groupId}/${kind}`, ...body });
const groupRow = (id: string) => t.db.prisma.group.findUniqueOrThrow({ where: { id } });

describe('group branding uploads', () => {
  it('stores a logo as WebP of at most 512px, served immutable with an ETag and 304', async () => {
    expect(png.length).toBeLessThan(20000);
    const g = await t.group('Logo');
    const res = await upload(admin, g.id, 'logo', multipart(png));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.logoUrl).toMatch(/^\/api\/v1\/files\/[0-9a-f-]{36}$/);
    const row = await groupRow(g.id);
    expect(body.logoUrl).toBe(`/api/v1/files/${row.logoFileId}`);
    const stored = await t.db.prisma.storedFile.findUniqueOrThrow({ where: { id: row.logoFileId! } });
    expect(stored).toMatchObject({ contentType: 'image/webp', width: 512, height: 384, purpose: 'group-logo' });

    const file = await t.app.inject({ method: 'GET', url: body.logoUrl });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/webp');
    expect(String(file.headers['cache-control'])).toContain('immutable');
    const etag = file.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const meta = await sharp(file.rawPayload).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(512);

    const again = await t.app.inject({ method: 'GET', url: body.logoUrl, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    const stale = await t.app.inject({ method: 'GET', url: body.logoUrl, headers: { 'if-none-match': '"other"' } });
    expect(stale.statusCode).toBe(200);
  });

  it('stores a background, and a group admin may upload', async () => {
    const g = await t.group('Background');
    const ga = await t.user('learner');
    await t.member(g.id, ga.id, 'admin');
    const res = await upload(ga, g.id, 'background', multipart(png, 'bg.png'));
    expect(res.statusCode).toBe(200);
    expect(res.json().backgroundUrl).toMatch(/^\/api\/v1\/files\//);
    const row = await groupRow(g.id);
    expect(row.backgroundFileId).not.toBeNull();
    expect(row.logoFileId).toBeNull();
    const stored = await t.db.prisma.storedFile.findUniqueOrThrow({ where: { id: row.backgroundFileId! } });
    expect([stored.width, stored.height]).toEqual([800, 600]); // within the background box: not enlarged, not shrunk
  });

  it.each([
    ['a text file', Buffer.from('hello, this is not an image\n'.repeat(20)), 'notes.txt', 'text/plain'],
    ['text renamed .png', Buffer.from('definitely not a PNG'.repeat(10)), 'fake.png', 'image/png'],
    ['a truncated PNG', Buffer.alloc(0), 'empty.png', 'image/png'],
  ])('refuses %s with 415 and leaves the group unchanged', async (_name, data, filename, type) => {
    const g = await t.group('Unchanged');
    const files = await t.db.prisma.storedFile.count();
    const body = problem(await upload(admin, g.id, 'logo', multipart(data.length ? data : png.subarray(0, 64), filename, type)), 415);
    expect(body.code).toBe('unsupported_media_type');
    expect((await groupRow(g.id)).logoFileId).toBeNull();
    expect(await t.db.prisma.storedFile.count()).toBe(files);
  });

  it('refuses a file over UPLOAD_MAX_BYTES with 413 and leaves the group unchanged', async () => {
    const g = await t.group('Too big');
    const big = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer();
    expect(big.length).toBeGreaterThan(20000);
    const files = await t.db.prisma.storedFile.count();
    expect(problem(await upload(admin, g.id, 'logo', multipart(big)), 413).code).toBe('payload_too_large');
    expect((await groupRow(g.id)).logoFileId).toBeNull();
    expect(await t.db.prisma.storedFile.count()).toBe(files);
  });

  it('refuses a non-multipart request with 415', async () => {
    const g = await t.group('Not multipart');
    for (const req of [
      { payload: { file: 'x' } },
      { payload: png, headers: { 'content-type': 'image/png' } },
      { payload: 'text', headers: { 'content-type': 'text/plain' } },
    ]) {
      problem(await t.as(admin, { method: 'PUT', url: `/api/v1/groups/${g.id}/logo`, ...req }), 415);
    }
    expect((await groupRow(g.id)).logoFileId).toBeNull();
  });

  it('answers 400 when the multipart has no file', async () => {
    const g = await t.group('No file');
    const boundary = 'xyzzy';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--${boundary}--\r\n`;
    const res = await t.as(admin, { method: 'PUT', url: `/api/v1/groups/${g.id}/logo`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(problem(res, 400).code).toBe('bad_request');
    expect((await groupRow(g.id)).logoFileId).toBeNull();
  });

  it('refuses people who may not manage the group: 403 when they see it, 404 when they do not, 401 anonymous', async () => {
    const g = await t.group('Guarded');
    const member = await t.user('learner');
    await t.member(g.id, member.id, 'learner', 'observer');
    const outsider = await t.user('learner');
    problem(await upload(member, g.id, 'logo', multipart(png)), 403);
    problem(await upload(await t.user('trainer'), g.id, 'logo', multipart(png)), 403);
    problem(await upload(outsider, g.id, 'logo', multipart(png)), 404);
    // Permissions come before the file: an outsider learns nothing from a bad or oversized file either.
    problem(await upload(outsider, g.id, 'logo', multipart(Buffer.from('not an image'), 'x.txt', 'text/plain')), 404);
    problem(await upload(outsider, g.id, 'logo', multipart(randomBytes(30000))), 404);
    problem(await upload(member, g.id, 'logo', multipart(randomBytes(30000))), 403);
    problem(await upload(null, g.id, 'logo', multipart(png)), 401);
    problem(await t.as(member, { method: 'DELETE', url: `/api/v1/groups/${g.id}/logo` }), 403);
    problem(await t.as(outsider, { method: 'DELETE', url: `/api/v1/groups/${g.id}/logo` }), 404);
    expect((await groupRow(g.id)).logoFileId).toBeNull();
  });

  it('DELETE clears the logo (and only the logo)', async () => {
    const g = await t.group('Clear');
    await upload(admin, g.id, 'logo', multipart(png));
    await upload(admin, g.id, 'background', multipart(png));
    const before = await groupRow(g.id);
    expect(before.logoFileId).not.toBeNull();
    const res = await t.as(admin, { method: 'DELETE', url: `/api/v1/groups/${g.id}/logo` });
    expect(res.statusCode).toBe(204);
    const after = await groupRow(g.id);
    expect(after.logoFileId).toBeNull();
    expect(after.backgroundFileId).toBe(before.backgroundFileId);
    expect((await t.as(admin, { method: 'GET', url: `/api/v1/groups/${g.id}` })).json()).toMatchObject({ logoUrl: null });
  });

  it('answers 404 for unknown files', async () => {
    problem(await t.app.inject({ method: 'GET', url: '/api/v1/files/00000000-0000-0000-0000-000000000000' }), 404);
    problem(await t.app.inject({ method: 'GET', url: '/api/v1/files/nope' }), 404);
  });
});
