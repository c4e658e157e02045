// Writes the OpenAPI document the API serves (built from the route schemas) to a file, for linters.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { ensureWorkspace } from '../src/db/bootstrap.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadEnv } from '../src/env.ts';

const out = path.resolve(process.argv[2] ?? 'openapi.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
const db = await openDatabase({ dataDir: null });
await migrate(db);
await ensureWorkspace(db);
const env = loadEnv({ LOG_LEVEL: 'silent', COVEY_FILES_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'covey-openapi-')), COVEY_PUBLIC_URL: 'https://covey.example' });
const app = await buildApp({ env, db, jobs: false });
await app.ready();
fs.writeFileSync(out, JSON.stringify(app.swagger(), null, 2));
await app.close();
await db.close();
console.log(`wrote ${out}`);
