import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { healthSchema, readinessSchema } from '@covey/schema';
import { problems } from '../../lib/openapi.ts';
import { healthService } from './health.service.ts';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const health = healthService(app);
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        operationId: 'getHealth',
        tags: ['health'],
        summary: 'Liveness: the process answers',
        description:
          'Answers 200 while the process runs, whatever the database; for the load balancer’s liveness probe. Public, no data.',
        security: [],
        response: { 200: healthSchema, ...problems(503) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: { public: true },
      schema: {
        operationId: 'getReadiness',
        tags: ['health'],
        summary: 'Readiness: the database answers',
        description:
          'Answers 200 when the database answers a query, 503 otherwise; for the load balancer’s readiness probe. Public, no data.',
        security: [],
        response: { 200: readinessSchema, ...problems(503) },
      },
    },
    async () => health.ready(),
  );
};
