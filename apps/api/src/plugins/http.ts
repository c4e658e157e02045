import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { validatorCompiler } from 'fastify-type-provider-zod';
import helmet from 'helmet';
import type { Env } from '../env.ts';
import { responseSerializerCompiler } from '../lib/serializer.ts';
import { sendProblem } from './errors.ts';

/** The server's own settings: body and URL limits, request ids, which proxies are trusted. */
export function serverOptions(env: Env, logger: FastifyServerOptions['logger']): FastifyServerOptions {
  return {
    logger: logger ?? false,
    bodyLimit: 1024 * 1024,
    // X-Forwarded-For only from the proxies TRUST_PROXY names (hops or addresses), else the connection's address.
    trustProxy: trustedProxies(env.TRUST_PROXY),
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    ajv: { customOptions: { coerceTypes: false } },
    // Router-level errors (a malformed URL, a parameter over maxParamLength) are problem+json too.
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode ?? 400;
      void sendProblem(request, reply, status, status === 414 ? 'uri_too_long' : 'bad_request', error.message);
    },
  };
}

/**
 * The headers a middleware that does not look at the request (helmet, without nonces) sets: run once against a
 * recording response.
 */
function staticHeaders(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let failed: Error | undefined;
  middleware({} as never, response as never, (err?: unknown) => void (failed = err ? (err as Error) : undefined));
  if (failed) throw failed;
  return headers;
}

/** TRUST_PROXY as Fastify takes it: nobody, the nearest N hops, or the listed addresses and ranges. */
function trustedProxies(setting: string | undefined): boolean | string | ((address: string, hop: number) => boolean) {
  if (setting === undefined) return false;
  if (!/^\d+$/.test(setting)) return setting;
  const hops = Number(setting);
  return (_address, hop) => hop < hops;
}

/** What every HTTP request meets: zod validation and serialization, security headers, form and multipart bodies. */
export const httpPlugin = fp(
  async (app: FastifyInstance) => {
    const env = app.env;
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(responseSerializerCompiler(env.NODE_ENV !== 'production'));
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
    // The headers are the same for every request: helmet writes them once, into a record, and each reply takes the
    // record with one call (helmet's middleware set a dozen headers on the raw response per request).
    const headers = staticHeaders(securityHeaders);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
    // CORS only for the origins COVEY_CORS_ORIGINS names (none by default). Bearer tokens, not cookies, cross over.
    // Registered before authentication: a preflight is answered here, without credentials.
    if (env.COVEY_CORS_ORIGINS?.length) {
      await app.register(cors, {
        origin: env.COVEY_CORS_ORIGINS,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-none-match', 'x-request-id'],
        exposedHeaders: ['location', 'content-disposition', 'etag', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'x-request-id', 'idempotent-replayed'],
        credentials: false,
        maxAge: 600,
      });
    }
    await app.register(formbody);
    await app.register(multipart, { limits: { fileSize: env.UPLOAD_MAX_BYTES, files: 1, fields: 5 } });
  },
  { name: 'covey-http', dependencies: ['covey-db'] },
);
