import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import type { Database } from './db/database.ts';
import type { Env } from './env.ts';
import { authPlugin, guardApi } from './plugins/auth.ts';
import { corePlugin } from './plugins/core.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { httpPlugin, serverOptions } from './plugins/http.ts';
import { jobsPlugin } from './plugins/jobs.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { rateLimitPlugin } from './plugins/rate-limit.ts';
import { spaPlugin } from './plugins/spa.ts';
import { activityPlugin } from './modules/activity/activity.plugin.ts';
import { adminRoutes } from './modules/admin/audit.routes.ts';
import { authJobs } from './modules/auth/auth.jobs.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { linksRoutes } from './modules/auth/links.routes.ts';
import { bulkJobs } from './modules/bulk/bulk.jobs.ts';
import { bulkRoutes } from './modules/bulk/bulk.routes.ts';
import { digestRoutes } from './modules/digests/digest.routes.ts';
import { digestsJobs } from './modules/digests/digests.jobs.ts';
import { documentsJobs } from './modules/documents/documents.jobs.ts';
import { documentsRoutes } from './modules/documents/documents.routes.ts';
import { enrollmentsJobs } from './modules/enrollments/enrollments.jobs.ts';
import { filesRoutes } from './modules/files/files.routes.ts';
import { groupsRoutes } from './modules/groups/groups.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { importsJobs } from './modules/imports/imports.jobs.ts';
import { peopleImportRoutes } from './modules/imports/people-import.routes.ts';
import { idempotencyJobs } from './modules/idempotency/idempotency.jobs.ts';
import { idempotency } from './modules/idempotency/idempotency.ts';
import { auditIntegrationCalls } from './modules/integrations/audit-calls.ts';
import { clientsRoutes } from './modules/integrations/clients.routes.ts';
import { oauthRoutes } from './modules/integrations/oauth.routes.ts';
import { scimTokensRoutes } from './modules/integrations/scim-tokens.routes.ts';
import { mailJobs } from './modules/mail/mail.jobs.ts';
import { mailboxRoutes } from './modules/mail/mailbox.routes.ts';
import { meRoutes } from './modules/me/me.routes.ts';
import { notificationsJobs } from './modules/notifications/notifications.jobs.ts';
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { postsRoutes } from './modules/posts/posts.routes.ts';
import { programsRoutes } from './modules/programs/programs.routes.ts';
import { remindersRoutes } from './modules/reminders/reminders.routes.ts';
import { rulesRoutes } from './modules/rules/rules.routes.ts';
import { scimPlugin } from './modules/scim/scim.plugin.ts';
import { settingsRoutes } from './modules/settings/settings.routes.ts';
import { oidcRoutes } from './modules/sso/oidc.routes.ts';
import { samlRoutes } from './modules/sso/saml.routes.ts';
import { ssoJobs } from './modules/sso/sso.jobs.ts';
import { statsRoutes } from './modules/stats/stats.routes.ts';
import { usersRoutes } from './modules/users/users.routes.ts';
import { webhooksJobs } from './modules/webhooks/webhooks.jobs.ts';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.ts';

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

/** The API, in layers: the core (settings, database, storage, secrets), external plugins, app plugins, then routes. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { env, db } = options;
  const app = Fastify(serverOptions(env, options.logger));
  options.instrument?.(app);

  await app.register(corePlugin, { env, db, closeDb: options.closeDb });
  await app.register(errorsPlugin);
  await app.register(httpPlugin);
  await app.register(rateLimitPlugin);
  await app.register(openapiPlugin);

  await app.register(activityPlugin);
  await app.register(authPlugin);
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

  await app.register(probes, { prefix: '/api' });
  await app.register(api, { prefix: '/api/v1' });
  await app.register(scimPlugin, { prefix: '/scim/v2' });
  await app.register(spaPlugin, { root: options.webDist });
  return app;
}

/** Health and readiness: rate-limited, never authenticated. */
const probes: FastifyPluginAsync = async (probes) => {
  probes.addHook('onRequest', probes.limitRequest);
  await probes.register(healthRoutes);
};

/** The versioned API: authenticated (but for public routes) and rate-limited; integration calls are audited. */
const api: FastifyPluginAsync = async (api) => {
  api.addHook('onRequest', guardApi(api));
  auditIntegrationCalls(api);
  idempotency(api);
  const routes = [
    authRoutes,
    linksRoutes,
    oidcRoutes,
    samlRoutes,
    meRoutes,
    usersRoutes,
    groupsRoutes,
    programsRoutes,
    filesRoutes,
    postsRoutes,
    notificationsRoutes,
    remindersRoutes,
    mailboxRoutes,
    statsRoutes,
    digestRoutes,
    settingsRoutes,
    documentsRoutes,
    rulesRoutes,
    oauthRoutes,
    clientsRoutes,
    bulkRoutes,
    peopleImportRoutes,
    webhooksRoutes,
    adminRoutes,
    scimTokensRoutes,
  ];
  for (const plugin of routes) await api.register(plugin);
};
