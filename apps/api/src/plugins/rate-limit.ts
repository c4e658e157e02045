import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { rateLimitRedis } from './rate-limit-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The limit of every /api request (an onRequest hook); see rateLimitPlugin. */
    limitRequest: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/**
 * The limit of every /api request, per minute: per integration client (CLIENT_RATE_LIMIT), per signed-in user
 * (API_RATE_LIMIT), else per IP address (API_RATE_LIMIT). Every answer carries RateLimit-Limit, RateLimit-Remaining
 * and RateLimit-Reset (draft-ietf-httpapi-ratelimit-headers); over the limit, 429 with Retry-After. Routes such as
 * sign-in add their own, stricter limits through `config.rateLimit`, applied by the plugin after the body is parsed.
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance) => {
    const env = app.env;
    await app.register(rateLimit, {
      global: false,
      hook: 'preHandler',
      timeWindow: '1 minute',
      enableDraftSpec: true,
      keyGenerator: (request) => `ip:${request.ip}`,
      // With REDIS_URL every node counts in Redis, so a user gets the limit once, not once per node.
      ...(env.REDIS_URL && { redis: await rateLimitRedis(app, env.REDIS_URL), nameSpace: 'covey:rl:', skipOnError: true }),
    });
    const check = app.createRateLimit({
      timeWindow: '1 minute',
      keyGenerator: (request) => {
        const principal = request.principal;
        return principal ? `${principal.type}:${principal.id}` : `ip:${request.ip}`;
      },
      max: (_request, key) => (key.startsWith('client:') ? env.CLIENT_RATE_LIMIT : env.API_RATE_LIMIT),
    });
    app.decorate('limitRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const state = await check(request);
      if (state.isAllowed) return;
      reply.header('ratelimit-limit', state.max);
      reply.header('ratelimit-remaining', state.remaining);
      reply.header('ratelimit-reset', state.ttlInSeconds);
      if (state.isExceeded) {
        reply.header('retry-after', state.ttlInSeconds);
        throw Object.assign(new Error('Too many requests'), { statusCode: 429 });
      }
    });
  },
  { name: 'covey-rate-limit', dependencies: ['covey-db'] },
);
