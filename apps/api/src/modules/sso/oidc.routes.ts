import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/**
 * OIDC sign-in (see README "Sign-in and single sign-on"). Its routes exist only when OIDC is configured.
 */
export const oidcRoutes: FastifyPluginAsyncZod = async (app) => {
  if (!app.env.COVEY_OIDC_ISSUER) return;
};
