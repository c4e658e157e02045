import closeWithGrace from 'close-with-grace';
import { loadEnv } from './env.ts';
import { startServer } from './server.ts';

const env = loadEnv();
const { app } = await startServer(env).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

closeWithGrace({ delay: 10_000 }, async ({ err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  await app.close();
});
