import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

/**
 * The Redis connection that makes the rate limits one count for every node (REDIS_URL); without it each process
 * counts on its own. Connected before the app serves, so a wrong URL stops the start with a clear message rather
 * than letting every node count alone. Should Redis go away later, requests are let through (the limit is a guard
 * against floods, not an authorization rule; sign-in lockout lives in PostgreSQL) and ioredis reconnects.
 */
export async function rateLimitRedis(app: FastifyInstance, url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  // Fail fast per command: a request never waits on a Redis that does not answer.
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1, enableAutoPipelining: true });
  redis.on('error', (err: Error) => app.log.warn({ err }, 'rate-limit store (Redis) unavailable'));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`REDIS_URL is set but Redis does not answer there: ${(error as Error).message}`);
  }
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  return redis;
}
