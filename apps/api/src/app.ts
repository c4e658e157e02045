import fs from 'node:fs';
import path from 'node:path';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Database } from './db/database.ts';
import type { Env } from './env.ts';
import { localDiskStorage, type Storage } from './lib/storage.ts';
import { secretBox, type SecretBox } from './lib/secret-box.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { filesRoutes } from './modules/files/files.routes.ts';
import { groupsRoutes } from './modules/groups/groups.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { meRoutes } from './modules/me/me.routes.ts';
import { programsRoutes } from './modules/programs/programs.routes.ts';
import { usersRoutes } from './modules/users/users.routes.ts';
import { mailPlugin } from './modules/mail/mail.plugin.ts';
import { mailboxRoutes } from './modules/mail/mailbox.routes.ts';
import { notificationDigestPlugin } from './modules/notifications/digest.plugin.ts';
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
};

/** The API, in layers: external plugins, then app plugins (errors, auth, jobs), then routes. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { env, db } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: true,
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
  app.setSerializerCompiler(serializerCompiler);

  await app.register(
    fp(
      async (instance) => {
        instance.decorate('env', env);
        instance.decorate('db', db);
        instance.decorate('storage', localDiskStorage(env.filesDir));
      },
      { name: 'covey-db' },
    ),
  );
  await app.register(errorsPlugin);
  await app.register(helmet, {
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
  await app.register(formbody);
  // Integration clients are limited per client (429 + Retry-After + RateLimit-* headers); routes such as sign-in
  // carry their own limits. Everything else is not rate-limited here.
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: env.CLIENT_RATE_LIMIT,
    timeWindow: '1 minute',
    enableDraftSpec: true,
    keyGenerator: (request) => (request.principal?.type === 'client' ? `client:${request.principal.id}` : `ip:${request.ip}`),
    allowList: (_request, key) => !key.startsWith('client:'),
  });
  await app.register(multipart, { limits: { fileSize: env.UPLOAD_MAX_BYTES, files: 1, fields: 5 } });

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
      servers: [{ url: env.COVEY_PUBLIC_URL ?? '/' }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
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
    transformObject: (documentObject) => problemJsonErrors(jsonSchemaTransformObject(documentObject)),
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
  await app.register(digestPlugin);
  await app.register(certificatesPlugin);
  await app.register(bulkPlugin);
  await app.register(webhooksPlugin);

  await app.register(healthRoutes, { prefix: '/api' });
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => {
        if (!request.routeOptions.config.public) await app.authenticate(request);
      });
      auditIntegrationCalls(api);
      idempotency(api);
      await api.register(authRoutes);
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

/** Error responses are application/problem+json (RFC 9457), not application/json. */
function problemJsonErrors<T>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> }).paths ?? {};
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (Number(status) >= 400 && response.content?.['application/json']) {
          response.content = { 'application/problem+json': response.content['application/json'] };
        }
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
