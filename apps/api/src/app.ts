import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Database } from './db/database.ts';
import type { Env } from './env.ts';
import { responseSerializerCompiler } from './lib/serializer.ts';
import { storageFromEnv, type Storage } from './lib/storage.ts';
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
import { mailboxRoutes } from './modules/mail/mailbox.routes.ts';
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { postsRoutes } from './modules/posts/posts.routes.ts';
import { remindersRoutes } from './modules/reminders/reminders.routes.ts';
import { activityPlugin } from './modules/activity/activity.ts';
import { statsRoutes } from './modules/stats/stats.routes.ts';
import { digestRoutes } from './modules/digests/digest.routes.ts';
import { documentsRoutes } from './modules/documents/documents.routes.ts';
import { rulesRoutes } from './modules/rules/rules.routes.ts';
import { clientsRoutes } from './modules/integrations/clients.routes.ts';
import { oauthRoutes } from './modules/integrations/oauth.routes.ts';
import { auditIntegrationCalls } from './modules/integrations/audit-calls.ts';
import { idempotency } from './modules/idempotency/idempotency.ts';
import { bulkRoutes } from './modules/bulk/bulk.routes.ts';
import { peopleImportRoutes } from './modules/imports/people-import.routes.ts';
import { importsJobs } from './modules/imports/imports.jobs.ts';
import { adminRoutes } from './modules/admin/audit.routes.ts';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.ts';
import { scimTokensRoutes } from './modules/integrations/scim-tokens.routes.ts';
import { scimPlugin } from './modules/scim/scim.plugin.ts';
import { authPlugin } from './plugins/auth.ts';
import { errorsPlugin, sendProblem } from './plugins/errors.ts';
import { jobsPlugin } from './plugins/jobs.ts';
import { authJobs } from './modules/auth/auth.jobs.ts';
import { bulkJobs } from './modules/bulk/bulk.jobs.ts';
import { digestsJobs } from './modules/digests/digests.jobs.ts';
import { documentsJobs } from './modules/documents/documents.jobs.ts';
import { enrollmentsJobs } from './modules/enrollments/enrollments.jobs.ts';
import { idempotencyJobs } from './modules/idempotency/idempotency.jobs.ts';
import { mailJobs } from './modules/mail/mail.jobs.ts';
import { notificationsJobs } from './modules/notifications/notifications.jobs.ts';
import { ssoJobs } from './modules/sso/sso.jobs.ts';
import { webhooksJobs } from './modules/webhooks/webhooks.jobs.ts';
import { apiRateLimit, httpPlugin } from './plugins/http.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { serveSpa } from './plugins/spa.ts';

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
  /** Called on the new instance before any plugin or route (the tests' contract check adds its hooks here). */
  instrument?: (app: FastifyInstance) => void;
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
  options.instrument?.(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler(env.NODE_ENV !== 'production'));

  await app.register(
    fp(
      async (instance) => {
        instance.decorate('env', env);
        instance.decorate('db', db);
        instance.decorate('storage', await storageFromEnv(env));
        instance.addHook('onClose', async () => instance.storage.close());
        // onClose hooks run in reverse order of registration: this one, registered first, runs last.
        if (options.closeDb) instance.addHook('onClose', async () => db.close());
      },
      { name: 'covey-db' },
    ),
  );
  await app.register(errorsPlugin);
  await app.register(httpPlugin);
  const limit = apiRateLimit(app, app.env);

  await app.register(openapiPlugin);

  await app.register(activityPlugin);
  const tokenSecret = await jwtSecret(env, db);
  app.decorate('secrets', secretBox(env.COVEY_SECRET_KEY ?? tokenSecret));
  await app.register(authPlugin, { secret: tokenSecret, accessTtl: env.ACCESS_TOKEN_TTL });
  await app.register(jobsPlugin, {
    workers: options.jobs ?? true,
    modules: [
      mailJobs,
      notificationsJobs,
      enrollmentsJobs,
      digestsJobs,
      documentsJobs,
      bulkJobs,
      importsJobs,
      webhooksJobs,
      authJobs,
      idempotencyJobs,
      ssoJobs,
    ],
  });

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
      await api.register(peopleImportRoutes);
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

async function jwtSecret(env: Env, db: Database): Promise<string> {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  const workspace = await db.prisma.workspace.findUnique({ where: { id: 1 }, select: { jwtSecret: true } });
  if (!workspace) throw new Error('The workspace is not initialised: run the migrations and bootstrap first.');
  return workspace.jwtSecret;
}
