import fs from 'node:fs';
import path from 'node:path';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Database } from './db/database.ts';
import type { Env } from './env.ts';
import { responseSerializerCompiler } from './lib/serializer.ts';
import { localDiskStorage, type Storage } from './lib/storage.ts';
import { secretBox, type SecretBox } from './lib/secret-box.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { linksRoutes } from './modules/auth/links.routes.ts';
import { rememberOrigin } from './lib/public-url.ts';
import { oidcRoutes } from './modules/sso/oidc.routes.ts';
import { samlRoutes } from './modules/sso/saml.routes.ts';
import { filesRoutes } from './modules/files/files.routes.ts';
import { groupsRoutes } from './modules/groups/groups.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { meRoutes } from './modules/me/me.routes.ts';
import { programsRoutes } from './modules/programs/programs.routes.ts';
import { usersRoutes } from './modules/users/users.routes.ts';
import { mailPlugin } from './modules/mail/mail.plugin.ts';
import { mailboxRoutes } from './modules/mail/mailbox.routes.ts';
import { notificationDigestPlugin } from './modules/notifications/digest.plugin.ts';
import { enrollmentMailPlugin } from './modules/enrollments/enrollment-mail.ts';
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { postsRoutes } from './modules/posts/posts.routes.ts';
import { remindersRoutes } from './modules/reminders/reminders.routes.ts';
import { activityPlugin } from './modules/activity/activity.ts';
import { statsRoutes } from './modules/stats/stats.routes.ts';
import { digestPlugin, digestRoutes } from './modules/digests/digest.routes.ts';
import { certificatesPlugin, documentsRoutes } from './modules/documents/documents.routes.ts';
import { rulesRoutes } from './modules/rules/rules.routes.ts';
import { clientsRoutes } from './modules/integrations/clients.routes.ts';
import { oauthRoutes } from './modules/integrations/oauth.routes.ts';
import { auditIntegrationCalls } from './modules/integrations/audit-calls.ts';
import { idempotency } from './modules/idempotency/idempotency.ts';
import { bulkPlugin, bulkRoutes } from './modules/bulk/bulk.routes.ts';
import { adminRoutes } from './modules/admin/audit.routes.ts';
import { webhooksPlugin, webhooksRoutes } from './modules/webhooks/webhooks.routes.ts';
import { scimTokensRoutes } from './modules/integrations/scim-tokens.routes.ts';
import { scimPlugin } from './modules/scim/scim.plugin.ts';
import { authPlugin } from './plugins/auth.ts';
import { errorsPlugin, sendProblem } from './plugins/errors.ts';
import { jobsPlugin } from './plugins/jobs.ts';

declare module 'fastify' {
  interface FastifyInstance {
    env: Env;
    db: Database;
    storage: Storage;
    /** Encrypts secrets the app must read back (webhook signing keys). */
    secrets: SecretBox;
  }
}

export type AppOptions = {
  env: Env;
  db: Database;
  /** Run job workers and schedules in this process (the queue itself always runs, to enqueue). */
  jobs?: boolean;
  logger?: FastifyServerOptions['logger'];
  /** Serve the built SPA from this folder, with index.html for client-side routes. */
  webDist?: string | null;
  /** Close the database when the app closes, after every plugin's own close (they may still write). */
  closeDb?: boolean;
};

/** TRUST_PROXY as Fastify takes it: nobody, the nearest N hops, or the listed addresses and ranges. */
function trustedProxies(setting: string | undefined): boolean | string | ((address: string, hop: number) => boolean) {
  if (setting === undefined) return false;
  if (!/^\d+$/.test(setting)) return setting;
  const hops = Number(setting);
  return (_address, hop) => hop < hops;
}

/** The API, in layers: external plugins, then app plugins (errors, auth, jobs), then routes. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { env, db } = options;
  const app = Fastify({
    logger: options.logger ?? false,
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
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler(env.NODE_ENV !== 'production'));

  await app.register(
    fp(
      async (instance) => {
        instance.decorate('env', env);
        instance.decorate('db', db);
        instance.decorate('storage', localDiskStorage(env.filesDir));
        // onClose hooks run in reverse order of registration: this one, registered first, runs last.
        if (options.closeDb) instance.addHook('onClose', async () => db.close());
      },
      { name: 'covey-db' },
    ),
  );
  await app.register(errorsPlugin);
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
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)));
  await app.register(formbody);
  // Every /api request is rate-limited (see apiRateLimit below); routes such as sign-in add their own, stricter
  // limits through `config.rateLimit`, applied by the plugin after the body is parsed.
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    timeWindow: '1 minute',
    enableDraftSpec: true,
    keyGenerator: (request) => `ip:${request.ip}`,
  });
  const limit = apiRateLimit(app, env);
  await app.register(multipart, { limits: { fileSize: env.UPLOAD_MAX_BYTES, files: 1, fields: 5 } });

  // The API is for the people of the workspace and its integrations: not internal.
  const server = {
    url: env.COVEY_PUBLIC_URL ?? '/',
    description: 'This Covey instance (production, or local in development): COVEY_PUBLIC_URL',
    'x-internal': false,
  };
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Covey API',
        version: '1.0.0',
        description:
          'Groups-first team learning. Errors are application/problem+json (RFC 9457). Lists are cursor-paginated.',
        license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
      },
      servers: [server],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              'An access token from `POST /api/v1/auth/login` (people) or `POST /api/v1/oauth/token` (integration clients). ' +
              'JWTs are handled as RFC8725 advises: only HS256 is accepted (the algorithm is pinned, `none` refused), ' +
              'the signature and expiry are always verified, the key is random (48 bytes) or JWT_SECRET, the `typ` claim ' +
              'tells people from clients, and tokens are short-lived (ACCESS_TOKEN_TTL, 15 minutes by default; one hour ' +
              'for clients), people renewing theirs with a rotating refresh token.',
          },
        },
      },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'auth', description: 'Sessions' },
        { name: 'me', description: 'The signed-in user' },
        { name: 'users', description: 'People of the workspace' },
        { name: 'groups', description: 'The group tree' },
        { name: 'members', description: 'Group membership' },
        { name: 'branding', description: 'Group logo and background' },
        { name: 'programs', description: 'Training programs' },
        { name: 'assignment', description: 'Programs assigned to groups' },
        { name: 'enrollment', description: 'Who is enrolled and why' },
        { name: 'progress', description: 'Learner progress' },
        { name: 'files', description: 'Stored files' },
        { name: 'feed', description: 'Public feed, group spaces, program comments' },
        { name: 'notifications', description: 'In-app notifications' },
        { name: 'follow-up', description: 'Reminders to learners' },
        { name: 'admin', description: 'Workspace administration' },
        { name: 'stats', description: 'Learner, group and program statistics' },
        { name: 'documents', description: 'Certificates and shared files' },
        { name: 'integrations', description: 'OAuth2 clients, SCIM tokens' },
        { name: 'bulk', description: 'Background bulk operations' },
        { name: 'webhooks', description: 'Signed event deliveries' },
        { name: 'rules', description: 'Group membership rules over user attributes' },
        { name: 'health', description: 'Liveness and readiness' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) => documentResponses(jsonSchemaTransformObject(documentObject)),
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());

  await app.register(activityPlugin);
  const tokenSecret = await jwtSecret(env, db);
  app.decorate('secrets', secretBox(env.COVEY_SECRET_KEY ?? tokenSecret));
  await app.register(authPlugin, { secret: tokenSecret, accessTtl: env.ACCESS_TOKEN_TTL });
  await app.register(jobsPlugin, { workers: options.jobs ?? true });
  await app.register(mailPlugin);
  await app.register(notificationDigestPlugin);
  await app.register(enrollmentMailPlugin);
  await app.register(digestPlugin);
  await app.register(certificatesPlugin);
  await app.register(bulkPlugin);
  await app.register(webhooksPlugin);

  await app.register(
    async (probes) => {
      probes.addHook('onRequest', limit);
      await probes.register(healthRoutes);
    },
    { prefix: '/api' },
  );
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request, reply) => {
        rememberOrigin(app, request);
        if (!request.routeOptions.config.public) {
          try {
            await app.authenticate(request);
          } catch (error) {
            // A request without a valid token counts against its IP address, and says so in its headers too.
            await limit(request, reply);
            throw error;
          }
        }
        await limit(request, reply);
      });
      auditIntegrationCalls(api);
      idempotency(api);
      await api.register(authRoutes);
      await api.register(linksRoutes);
      await api.register(oidcRoutes);
      await api.register(samlRoutes);
      await api.register(meRoutes);
      await api.register(usersRoutes);
      await api.register(groupsRoutes);
      await api.register(programsRoutes);
      await api.register(filesRoutes);
      await api.register(postsRoutes);
      await api.register(notificationsRoutes);
      await api.register(remindersRoutes);
      await api.register(mailboxRoutes);
      await api.register(statsRoutes);
      await api.register(digestRoutes);
      await api.register(documentsRoutes);
      await api.register(rulesRoutes);
      await api.register(oauthRoutes);
      await api.register(clientsRoutes);
      await api.register(bulkRoutes);
      await api.register(webhooksRoutes);
      await api.register(adminRoutes);
      await api.register(scimTokensRoutes);
    },
    { prefix: '/api/v1' },
  );
  await app.register(scimPlugin, { prefix: '/scim/v2' });

  if (options.webDist && fs.existsSync(path.join(options.webDist, 'index.html'))) {
    await serveSpa(app, options.webDist);
  }
  return app;
}

/**
 * The limit of every /api request, per minute: per integration client (CLIENT_RATE_LIMIT), per signed-in user
 * (API_RATE_LIMIT), else per IP address (API_RATE_LIMIT). Every answer carries RateLimit-Limit, RateLimit-Remaining
 * and RateLimit-Reset (draft-ietf-httpapi-ratelimit-headers); over the limit, 429 with Retry-After.
 */
function apiRateLimit(app: FastifyInstance, env: Env) {
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

type Responses = Record<string, { description?: string; headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
type Operation = { security?: unknown[]; responses?: Responses };

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
/** Errors any operation may answer, when it does not document them itself. */
const commonErrors: Record<string, { description: string; when: (op: Operation) => boolean }> = {
  400: { description: 'Malformed request (problem+json with `errors[]`)', when: () => true },
  401: { description: 'Missing or invalid credentials', when: (op) => op.security === undefined || op.security.length > 0 },
  429: { description: 'Rate limited (see `Retry-After`)', when: () => true },
  500: { description: 'Unexpected failure (logged; no details leak)', when: () => true },
};
const rateLimitHeaders = {
  'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' },
  'RateLimit-Remaining': { $ref: '#/components/headers/RateLimit-Remaining' },
  'RateLimit-Reset': { $ref: '#/components/headers/RateLimit-Reset' },
};
const integerHeader = (description: string) => ({
  description,
  schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 },
});

/**
 * Completes what the route schemas say about responses, in one place: errors are application/problem+json
 * (RFC 9457); every operation documents the errors any request may meet (400, 401 when authenticated, 429, 500);
 * 2xx and 4xx answers carry the rate-limit headers (see apiRateLimit), and 429 Retry-After too.
 */
function documentResponses<T>(document: T): T {
  const doc = document as { paths?: Record<string, Record<string, Operation>>; components?: Record<string, Record<string, unknown>> };
  doc.components = {
    ...doc.components,
    headers: {
      'RateLimit-Limit': integerHeader('Requests allowed in the current window (one minute)'),
      'RateLimit-Remaining': integerHeader('Requests left in the current window'),
      'RateLimit-Reset': integerHeader('Seconds until the window resets'),
      'Retry-After': integerHeader('Seconds to wait before retrying'),
    },
  };
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const responses = (operation.responses ??= {});
      for (const [status, error] of Object.entries(commonErrors)) {
        if (!responses[status] && error.when(operation)) responses[status] = { description: error.description, content: problemContent };
      }
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && response.content?.['application/json']) {
          response.content = { 'application/problem+json': response.content['application/json'] };
        }
        if (/^[24]/.test(status)) response.headers = { ...response.headers, ...rateLimitHeaders };
        if (status === '429') response.headers = { ...response.headers, 'Retry-After': { $ref: '#/components/headers/Retry-After' } };
      }
    }
  }
  // Schemas registered for both directions get an input variant; keep only those the document uses.
  const schemas = doc.components.schemas ?? {};
  const unused = (name: string) => {
    const others = Object.entries(schemas).filter(([other]) => other !== name);
    return !JSON.stringify({ paths: doc.paths, others }).includes(`"#/components/schemas/${name}"`);
  };
  let removed = true;
  while (removed) {
    removed = false;
    for (const name of Object.keys(schemas)) {
      if (name.endsWith('Input') && unused(name)) {
        delete schemas[name];
        removed = true;
      }
    }
  }
  return document;
}

async function jwtSecret(env: Env, db: Database): Promise<string> {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  const workspace = await db.prisma.workspace.findUnique({ where: { id: 1 }, select: { jwtSecret: true } });
  if (!workspace) throw new Error('The workspace is not initialised: run the migrations and bootstrap first.');
  return workspace.jwtSecret;
}

/** The SPA on the same port: static assets, and index.html for any non-API GET (client-side routes). */
async function serveSpa(app: FastifyInstance, root: string) {
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    setHeaders: (reply, file) => {
      reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const indexHtml = fs.readFileSync(path.join(root, 'index.html'));
  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    schema: { hide: true },
    config: { public: true },
    handler: async (request, reply) => {
      const url = request.url.split('?')[0] ?? '/';
      if (url.startsWith('/api/') || url.startsWith('/scim/')) {
        return reply.callNotFound();
      }
      const file = path.join(root, path.normalize(url).replace(/^(\.\.[/\\])+/, ''));
      if (url !== '/' && file.startsWith(root) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        return reply.sendFile(path.relative(root, file));
      }
      return reply.type('text/html').header('cache-control', 'no-cache').send(indexHtml);
    },
  });
}
