import closeWithGrace from 'close-with-grace';
import { loadEnv } from './env.ts';
import { startServer } from './server.ts';
import { answerBackupRequests } from './db/backup.ts';

const env = loadEnv();
const { app, db } = await startServer(env).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

// `pnpm db:backup` asks this process for a consistent dump of the embedded database.
answerBackupRequests(db, env, app.log);

closeWithGrace({ delay: 10_000 }, async ({ err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  await app.close();
});
