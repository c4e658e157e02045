import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import type { Env } from '../env.ts';
import { rateLimitRedis } from './rate-limit-store.ts';

/** What every HTTP request meets: security headers, form and multipart bodies, the rate-limit machinery. */
export const httpPlugin = fp(
  async (app: FastifyInstance) => {
    const env = app.env;
    // Security headers (helmet), built once: the headers are the same for every response.
    const securityHeaders = helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          // Covey is often served over plain HTTP on a LAN or localhost; a TLS proxy adds HSTS and upgrades.
          upgradeInsecureRequests: null,
        },
      },
      hsts: false,
      crossOriginResourcePolicy: { policy: 'same-origin' },
    });
    app.addHook('onRequest', (request, reply, done) =>
      securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)),
    );
    await app.register(formbody);
    // Every /api request is rate-limited (see apiRateLimit below); routes such as sign-in add their own, stricter
    // limits through `config.rateLimit`, applied by the plugin after the body is parsed.
    await app.register(rateLimit, {
      global: false,
      hook: 'preHandler',
      timeWindow: '1 minute',
      enableDraftSpec: true,
      keyGenerator: (request) => `ip:${request.ip}`,
      // With REDIS_URL every node counts in Redis, so a user gets the limit once, not once per node.
      ...(env.REDIS_URL && { redis: await rateLimitRedis(app, env.REDIS_URL), nameSpace: 'covey:rl:', skipOnError: true }),
    });
    await app.register(multipart, { limits: { fileSize: env.UPLOAD_MAX_BYTES, files: 1, fields: 5 } });
  },
  { name: 'covey-http' },
);

/**
 * The limit of every /api request, per minute: per integration client (CLIENT_RATE_LIMIT), per signed-in user
 * (API_RATE_LIMIT), else per IP address (API_RATE_LIMIT). Every answer carries RateLimit-Limit, RateLimit-Remaining
 * and RateLimit-Reset (draft-ietf-httpapi-ratelimit-headers); over the limit, 429 with Retry-After.
 */
export function apiRateLimit(app: FastifyInstance, env: Env) {
  const check = app.createRateLimit({
    timeWindow: '1 minute',
    keyGenerator: (request) => {
      const principal = request.principal;
      return principal ? `${principal.type}:${principal.id}` : `ip:${request.ip}`;
    },
    max: (_request, key) => (key.startsWith('client:') ? env.CLIENT_RATE_LIMIT : env.API_RATE_LIMIT),
  });
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const state = await check(request);
    if (state.isAllowed) return;
    reply.header('ratelimit-limit', state.max);
    reply.header('ratelimit-remaining', state.remaining);
    reply.header('ratelimit-reset', state.ttlInSeconds);
    if (state.isExceeded) {
      reply.header('retry-after', state.ttlInSeconds);
      throw Object.assign(new Error('Too many requests'), { statusCode: 429 });
    }
  };
}
