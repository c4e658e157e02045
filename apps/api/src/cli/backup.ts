import path from 'node:path';
import { backup } from '../db/backup.ts';
import { loadEnv } from '../env.ts';

/** `pnpm db:backup [folder]`: the configured database and files, taken while Covey runs. */
const env = loadEnv();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? `covey-backup-${stamp}`);
const manifest = await backup(env, out);
console.log(`Backup written to ${out}: ${manifest.runtime} database (${manifest.database}), ${manifest.files} files (${manifest.bytes} bytes).`);
