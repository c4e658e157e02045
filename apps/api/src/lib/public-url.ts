import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * The absolute base URL of Covey for links in mails and redirects: COVEY_PUBLIC_URL, else the URL the server was last
 * reached at (remembered from requests, so mails written by background jobs get it too), else localhost.
 */
const reachedAt = new WeakMap<FastifyInstance, string>();

export function rememberOrigin(app: FastifyInstance, request: FastifyRequest): void {
  if (!app.env.COVEY_PUBLIC_URL && request.host && !reachedAt.has(app)) reachedAt.set(app, `${request.protocol}://${request.host}`);
}

export function publicUrl(app: FastifyInstance, request?: FastifyRequest): string {
  const configured = app.env.COVEY_PUBLIC_URL?.replace(/\/$/, '');
  if (configured && /^https?:\/\//.test(configured)) return configured;
  if (request?.host) return `${request.protocol}://${request.host}${configured ?? ''}`;
  return (reachedAt.get(app) ?? `http://localhost:${app.env.PORT}`) + (configured ?? '');
}
