import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../src/env.ts';
import { localDiskStorage, storageFromEnv, type Storage } from '../src/lib/storage.ts';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';
import { startS3Server, type S3Server } from './s3-server.ts';

/** One contract, two backends: the local disk and an S3-compatible server (s3rver, started here). */
let s3: S3Server;
const backends: Record<'disk' | 's3', () => Promise<Storage>> = {
  disk: async () => localDiskStorage(fs.mkdtempSync(path.join(os.tmpdir(), 'covey-storage-'))),
  s3: async () => storageFromEnv(loadEnv({ ...s3.env, LOG_LEVEL: 'silent' })),
};

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => s3?.close());

async function read(stream: Readable | null): Promise<Buffer | null> {
  if (!stream) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const retained = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A source of `total` pseudo-random bytes made 64 KiB at a time, with its hash: never a whole buffer of them. */
function generated(total: number, seed: number, checkpoint: () => void) {
  const hash = createHash('sha256');
  const block = Buffer.alloc(64 * 1024);
  let made = 0;
  const stream = new Readable({
    read() {
      if (made >= total) {
        checkpoint();
        return void this.push(null);
      }
      if (made % (total / 8) === 0) checkpoint();
      const n = Math.min(block.length, total - made);
      const chunk = Buffer.alloc(n);
      for (let i = 0; i < n; i += 4) chunk.writeUInt32LE(((made + i) * 2654435761 + seed) >>> 0, Math.min(i, n - 4));
      made += n;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

describe.each(['disk', 's3'] as const)('storage contract: %s', (kind) => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await backends[kind]();
    expect(storage.kind).toBe(kind);
  });
  afterAll(async () => storage?.close());

  it('gives back what was put, from a Buffer and from a stream, and says it exists', async () => {
    const bytes = randomBytes(70_000);
    await storage.put('contract/a/buffer.bin', bytes);
    await storage.put('contract/a/stream.bin', Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]));
    expect((await read(await storage.get('contract/a/buffer.bin')))!.equals(bytes)).toBe(true);
    expect((await read(await storage.get('contract/a/stream.bin')))!.equals(bytes)).toBe(true);
    expect(await storage.exists('contract/a/buffer.bin')).toBe(true);
  });

  it('answers null and false for a missing key, and deleting it is not an error', async () => {
    expect(await storage.get('contract/missing')).toBeNull();
    expect(await storage.exists('contract/missing')).toBe(false);
    await expect(storage.delete('contract/missing')).resolves.toBeUndefined();
  });

  it('replaces an object on a second put and forgets it on delete', async () => {
    await storage.put('contract/b', Buffer.from('first'));
    await storage.put('contract/b', Buffer.from('second'));
    expect((await read(await storage.get('contract/b')))!.toString()).toBe('second');
    await storage.delete('contract/b');
    expect(await storage.exists('contract/b')).toBe(false);
    expect(await storage.get('contract/b')).toBeNull();
  });

  it('streams a file larger than a multipart part in and out without holding it whole', async () => {
    const total = 64 * 1024 * 1024;
    collectGarbage();
    const baseline = retained();
    let peak = 0;
    // What stays reachable after a collection, measured each time another eighth of the file has been produced and
    // when the source ends (where a backend that buffers would hold all of it): garbage does not count.
    const source = generated(total, kind === 'disk' ? 1 : 2, () => {
      collectGarbage();
      peak = Math.max(peak, retained() - baseline);
    });
    await storage.put('contract/large.bin', source.stream);
    expect(await sha256Of((await storage.get('contract/large.bin'))!)).toBe(source.digest());
    // The S3 backend holds at most two 5 MiB parts in flight and one filling; 64 MiB held whole would show.
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(40 * 1024 * 1024);
  });

  it('leaves no object behind when the source fails halfway', async () => {
    let sent = 0;
    const failing = new Readable({
      read() {
        sent += 1;
        if (sent > 3) this.destroy(new Error('client went away'));
        else this.push(randomBytes(64 * 1024));
      },
    });
    await expect(storage.put('contract/broken', failing)).rejects.toThrow(/client went away/);
    expect(await storage.exists('contract/broken')).toBe(false);
    expect(await storage.get('contract/broken')).toBeNull();
    expect(await collect(storage.list('contract/broken'))).toEqual([]);
  });

  it('lists keys under a prefix', async () => {
    await storage.put('listing/x/1', Buffer.from('1'));
    await storage.put('listing/x/2', Buffer.from('2'));
    await storage.put('listing/y/3', Buffer.from('3'));
    expect((await collect(storage.list('listing/x/'))).sort()).toEqual(['listing/x/1', 'listing/x/2']);
    expect((await collect(storage.list('listing/'))).sort()).toEqual(['listing/x/1', 'listing/x/2', 'listing/y/3']);
  });

  it('refuses keys that could leave its root', async () => {
    for (const key of ['../escape', '/etc/passwd', 'a/../../b', 'spaces are not keys']) {
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(/Invalid storage key/);
      await expect(storage.get(key)).rejects.toThrow(/Invalid storage key/);
    }
  });
});

/** The app on the S3 backend: uploads stream into the bucket; downloads keep their checks and cache headers. */
describe('the app with files in S3', () => {
  let t: TestContext;
  let admin: TestUser, lea: TestUser, stranger: TestUser;

  function multipart(fields: Record<string, string>, file: { name: string; type: string; data: Buffer }) {
    const boundary = '----covey-s3-boundary';
    const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
    return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  }
  const bucketKeys = async () => collect(t.app.storage.list());

  beforeAll(async () => {
    t = await createTestContext({ ...s3.env, COVEY_S3_BUCKET: 'covey-app' });
    // s3rver makes the buckets it is told of at start; this one is made through the S3 API like an operator would.
    const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    await client.send(new CreateBucketCommand({ Bucket: 'covey-app' }));
    client.destroy();
    [admin, lea, stranger] = await Promise.all([t.user('admin'), t.user('learner'), t.user('learner')]);
  });
  afterAll(async () => t?.close());

  it('streams a shared document into the bucket; its owner downloads it, a stranger gets 404', async () => {
    expect(t.app.storage.kind).toBe('s3');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(300_000)]);
    const res = await t.as(admin, { method: 'POST', url: `/api/v1/users/${lea.id}/documents`, ...multipart({ title: 'Contract' }, { name: 'c.pdf', type: 'application/pdf', data: pdf }) });
    expect(res.statusCode).toBe(201);
    const row = await t.db.prisma.document.findUniqueOrThrow({ where: { id: res.json().id }, include: { file: true } });
    expect(row.file).toMatchObject({ size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex'), contentType: 'application/pdf' });
    expect(await bucketKeys()).toContain(row.file.storageKey);

    const mine = await t.as(lea, { method: 'GET', url: res.json().url });
    expect(mine.statusCode).toBe(200);
    expect(mine.rawPayload.equals(pdf)).toBe(true);
    expect(mine.headers['cache-control']).toBe('private, no-store');
    expect(problem(await t.as(stranger, { method: 'GET', url: res.json().url }), 404).code).toBe('file_not_found');
    expect((await t.as(null, { method: 'GET', url: res.json().url })).statusCode).toBe(401);
  });

  it('refuses a file of the wrong type or too large, and leaves nothing in the bucket', async () => {
    const before = await bucketKeys();
    const exe = await t.as(admin, { method: 'POST', url: `/api/v1/users/${lea.id}/documents`, ...multipart({}, { name: 'x.exe', type: 'application/pdf', data: Buffer.from('MZ\x90\x00 not a pdf at all, really not') }) });
    expect(problem(exe, 415).code).toBe('unsupported_media_type');
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(t.env.UPLOAD_MAX_BYTES)]);
    const tooBig = await t.as(admin, { method: 'POST', url: `/api/v1/users/${lea.id}/documents`, ...multipart({}, { name: 'big.pdf', type: 'application/pdf', data: big }) });
    expect(problem(tooBig, 413).code).toBe('payload_too_large');
    expect(await bucketKeys()).toEqual(before);
  });

  it('serves a branding image from the bucket with its ETag, and 304 when it is unchanged', async () => {
    const group = await t.group('S3 branded');
    const png = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#123456' } }).png().toBuffer();
    const up = await t.as(admin, { method: 'PUT', url: `/api/v1/groups/${group.id}/logo`, ...multipart({}, { name: 'logo.png', type: 'image/png', data: png }) });
    expect(up.statusCode).toBe(200);
    const file = await t.app.inject({ method: 'GET', url: up.json().logoUrl });
    expect(file.statusCode).toBe(200);
    expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await sharp(file.rawPayload).metadata()).format).toBe('webp');
    const again = await t.app.inject({ method: 'GET', url: up.json().logoUrl, headers: { 'if-none-match': String(file.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });
});
