import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type S3Server = {
  endpoint: string;
  bucket: string;
  /** The settings that point Covey at this server. */
  env: Record<string, string>;
  close(): Promise<void>;
};

const script = fileURLToPath(new URL('../scripts/s3rver.mjs', import.meta.url));

/**
 * A real S3-protocol server (s3rver) in its own process on a free loopback port, its objects in a temporary folder,
 * the buckets made. s3rver checks SigV4 signatures with its fixed key pair S3RVER/S3RVER.
 */
export async function startS3Server(bucket = 'covey-files', ...more: string[]): Promise<S3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'covey-s3-'));
  const child = spawn(process.execPath, [script, directory, bucket, ...more], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before listening`)));
  });
  const { port } = JSON.parse(first) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: {
      COVEY_S3_BUCKET: bucket,
      COVEY_S3_ENDPOINT: endpoint,
      COVEY_S3_REGION: 'us-east-1',
      COVEY_S3_FORCE_PATH_STYLE: '1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    },
    async close() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
