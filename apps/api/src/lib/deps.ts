import type { FastifyInstance } from 'fastify';

/**
 * The parts of the app a service is built from (`db`, `env`, `boss`, `storage`, `jwt`…): each service names only the
 * ones it uses (`Deps<'db' | 'boss'>`), so that what it can reach reads from its signature. The app passes itself.
 */
export type Deps<K extends keyof FastifyInstance> = Pick<FastifyInstance, K>;
