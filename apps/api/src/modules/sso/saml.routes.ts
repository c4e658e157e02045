import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/**
 * SAML sign-in (see README "Sign-in and single sign-on"). Its routes exist only when SAML is configured.
 */
export const samlRoutes: FastifyPluginAsyncZod = async (app) => {
  if (!app.env.COVEY_SAML_IDP_SSO_URL) return;
};
