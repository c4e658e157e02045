import { ensureWorkspace } from '../db/bootstrap.ts';
import { migrate } from '../db/migrate.ts';
import { loadEnv } from '../env.ts';
import { openFromEnv } from '../server.ts';

const db = await openFromEnv(loadEnv());
try {
  const { applied } = await migrate(db);
  await ensureWorkspace(db);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
} finally {
  await db.close();
}
