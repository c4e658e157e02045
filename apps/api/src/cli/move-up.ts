import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backup } from '../db/backup.ts';
import { restore } from '../db/restore.ts';
import { loadEnv } from '../env.ts';

/**
 * `DATABASE_URL=… [COVEY_S3_BUCKET=…] pnpm db:move-up`: the embedded workspace under COVEY_DATA_DIR (database and
 * files on disk) moves into the PostgreSQL server and, when set, the S3 bucket. It may run while the embedded server
 * does; stop that server afterwards and start Covey with the new settings.
 */
const target = loadEnv();
if (!target.DATABASE_URL) {
  console.error('Set DATABASE_URL to the (empty) PostgreSQL database to move to, and COVEY_S3_* to move the files to S3.');
  process.exit(2);
}
const source = loadEnv({ ...process.env, DATABASE_URL: undefined, COVEY_S3_BUCKET: undefined, COVEY_S3_ENDPOINT: undefined });
const folder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'covey-move-')), 'backup');
try {
  const manifest = await backup(source, folder);
  const result = await restore(target, folder);
  console.log(`Moved the embedded workspace: ${result.tables} tables, ${result.rows} rows, ${result.files} of ${manifest.files} files.`);
} finally {
  fs.rmSync(path.dirname(folder), { recursive: true, force: true });
}
