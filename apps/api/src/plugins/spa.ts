import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The SPA on the same port, when `root` holds a build: static assets, and index.html for any non-API GET
 * (client-side routes).
 */
export const spaPlugin = fp(
  async (app: FastifyInstance, opts: { root?: string | null }) => {
  const root = opts.root;
  if (!root || !fs.existsSync(path.join(root, 'index.html'))) return;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    // The build writes .br and .gz next to each text asset: sent as they are when the browser accepts them.
    preCompressed: true,
    setHeaders: (reply, file) => {
      reply.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
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
  },
  { name: 'covey-spa' },
);
