import type { Readable } from 'node:stream';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { checkKey, type Storage } from './storage.ts';

export type S3Options = {
  bucket: string;
  /** An S3-compatible endpoint (MinIO, Ceph, R2, s3rver…); unset = AWS S3 itself. */
  endpoint?: string;
  region: string;
  /** `http://host/bucket/key` rather than `http://bucket.host/key`: what most S3-compatible servers want. */
  forcePathStyle?: boolean;
  /** Unset = the SDK's default chain (instance role, web identity, shared config). */
  credentials?: S3ClientConfig['credentials'];
};

// The smallest part S3 accepts: with two in flight and one filling, an upload holds about 15 MiB whatever its size.
const PART_SIZE = 5 * 1024 * 1024;

/**
 * Files in an S3-compatible bucket. Uploads stream through multipart upload (only parts of 5 MiB, two in flight, are
 * held in memory), downloads stream the object's body; the SDK loads on first use of this backend.
 */
export async function s3Storage(options: S3Options): Promise<Storage> {
  const s3 = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const client = new s3.S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    // Checksums only where the API requires them: many S3-compatible servers reject the SDK's default trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;
  const missing = (error: unknown) => {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
  };
  return {
    kind: 's3',
    async put(key, body, putOptions) {
      // An object appears only when its upload completes; a failed multipart upload is aborted (no parts left).
      const upload = new Upload({
        client,
        params: { Bucket, Key: checkKey(key), Body: body, ContentType: putOptions?.contentType },
        partSize: PART_SIZE,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
    },
    async get(key) {
      try {
        const out = await client.send(new s3.GetObjectCommand({ Bucket, Key: checkKey(key) }));
        return (out.Body as Readable | undefined) ?? null;
      } catch (error) {
        if (missing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      await client.send(new s3.DeleteObjectCommand({ Bucket, Key: checkKey(key) }));
    },
    async exists(key) {
      try {
        await client.send(new s3.HeadObjectCommand({ Bucket, Key: checkKey(key) }));
        return true;
      } catch (error) {
        if (missing(error)) return false;
        throw error;
      }
    },
    async *list(prefix) {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new s3.ListObjectsV2Command({ Bucket, Prefix: prefix || undefined, ContinuationToken }));
        for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
    async close() {
      client.destroy();
    },
  };
}
