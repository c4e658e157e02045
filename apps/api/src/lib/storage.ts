import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Env } from '../env.ts';

/**
 * Where file bytes live: local disk by default, an S3-compatible object store when COVEY_S3_BUCKET is set. Bytes
 * stream in and out; a Buffer is accepted for what is already in memory (a re-encoded image, a generated PDF).
 */
export type Storage = {
  readonly kind: 'disk' | 's3';
  /** Writes the whole object or nothing: a reader never sees half a file. */
  put(key: string, body: Readable | Buffer, options?: { contentType?: string }): Promise<void>;
  /** The object's bytes, or null when there is no such object. */
  get(key: string): Promise<Readable | null>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Every key under a prefix (all keys without one), for backups and moves between backends. */
  list(prefix?: string): AsyncIterable<string>;
  close(): Promise<void>;
};

/** Keys are relative paths made by the app (`posts/<uuid>`): nothing that could climb out of the root. */
export function checkKey(key: string): string {
  if (!/^[a-z0-9/_.-]+$/i.test(key) || key.includes('..') || key.startsWith('/')) throw new Error(`Invalid storage key ${key}`);
  return key;
}

export function localDiskStorage(root: string): Storage {
  const resolve = (key: string) => path.join(root, checkKey(key));
  return {
    kind: 'disk',
    async put(key, body) {
      const file = resolve(key);
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      // A unique temporary name per write, renamed into place: concurrent writers and readers never meet halfway.
      const tmp = `${file}.${randomUUID()}.tmp`;
      try {
        await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, fs.createWriteStream(tmp));
        await fs.promises.rename(tmp, file);
      } catch (error) {
        await fs.promises.rm(tmp, { force: true });
        throw error;
      }
    },
    async get(key) {
      const file = resolve(key);
      // Opened before answering, so a missing file is null here rather than an error mid-response.
      const handle = await fs.promises.open(file, 'r').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      return handle ? handle.createReadStream() : null;
    },
    async delete(key) {
      await fs.promises.rm(resolve(key), { force: true });
    },
    async exists(key) {
      try {
        return (await fs.promises.stat(resolve(key))).isFile();
      } catch {
        return false;
      }
    },
    async *list(prefix = '') {
      const start = path.join(root, prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '');
      const entries = await fs.promises.readdir(start, { recursive: true, withFileTypes: true }).catch(() => []);
      const keys = entries
        .filter((e) => e.isFile() && !e.name.endsWith('.tmp'))
        .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
        .filter((key) => key.startsWith(prefix))
        .sort();
      yield* keys;
    },
    async close() {},
  };
}

/** The backend the settings choose: S3 when COVEY_S3_BUCKET is set, else the local disk under COVEY_FILES_DIR. */
export async function storageFromEnv(env: Env): Promise<Storage> {
  if (!env.COVEY_S3_BUCKET) return localDiskStorage(env.filesDir);
  const { s3Storage } = await import('./storage-s3.ts');
  return s3Storage({
    bucket: env.COVEY_S3_BUCKET,
    endpoint: env.COVEY_S3_ENDPOINT,
    region: env.COVEY_S3_REGION,
    forcePathStyle: env.COVEY_S3_FORCE_PATH_STYLE === '1',
    credentials:
      env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
        : undefined,
  });
}
