import path from 'node:path';
import { restore } from '../db/restore.ts';
import { loadEnv } from '../env.ts';

/** `pnpm db:restore <folder>`: a backup into the configured (empty) database and storage. */
const from = process.argv[2];
if (!from) {
  console.error('usage: pnpm db:restore <backup folder>');
  process.exit(2);
}
const env = loadEnv();
const result = await restore(env, path.resolve(process.env.INIT_CWD ?? process.cwd(), from));
console.log(
  `Restored into ${env.DATABASE_URL ? 'the PostgreSQL server' : 'the embedded database'}${result.tables ? ` (${result.tables} tables, ${result.rows} rows copied)` : ''} and ${result.files} files into ${env.COVEY_S3_BUCKET ? `bucket ${env.COVEY_S3_BUCKET}` : env.filesDir}.`,
);
