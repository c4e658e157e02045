import type { FastifyRequest } from 'fastify';
import type { Deps } from './deps.ts';
import type { Env } from '../env.ts';

/**
 * The absolute base URL of Covey for links in mails and redirects: COVEY_PUBLIC_URL, else the URL the server was last
 * reached at (remembered from requests, so mails written by background jobs get it too), else localhost.
 */
// Kept per app by its settings object, which the app's every plugin context shares.
const reachedAt = new WeakMap<Env, string>();

export function rememberOrigin(app: Deps<'env'>, request: FastifyRequest): void {
  if (!app.env.COVEY_PUBLIC_URL && request.host && !reachedAt.has(app.env)) reachedAt.set(app.env, `${request.protocol}://${request.host}`);
}

export function publicUrl(app: Deps<'env'>, request?: FastifyRequest): string {
  const configured = app.env.COVEY_PUBLIC_URL?.replace(/\/$/, '');
  if (configured && /^https?:\/\//.test(configured)) return configured;
  if (request?.host) return `${request.protocol}://${request.host}${configured ?? ''}`;
  return (reachedAt.get(app.env) ?? `http://localhost:${app.env.PORT}`) + (configured ?? '');
}
