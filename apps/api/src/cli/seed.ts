import { ensureWorkspace } from '../db/bootstrap.ts';
import { migrate } from '../db/migrate.ts';
import { DEMO_PASSWORD, seedDemo } from '../db/seed.ts';
import { loadEnv } from '../env.ts';
import { openFromEnv } from '../server.ts';

const db = await openFromEnv(loadEnv());
try {
  await migrate(db);
  await ensureWorkspace(db);
  const logins = await seedDemo(db);
  if (!logins) console.log('The workspace already has users; the demo seed only runs on an empty workspace.');
  else console.log(`Demo workspace seeded (password "${DEMO_PASSWORD}"):\n${logins.map((l) => `  ${l.email}  ${l.role}`).join('\n')}`);
} finally {
  await db.close();
}
