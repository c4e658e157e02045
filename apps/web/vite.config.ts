import react from '@vitejs/plugin-react';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { compression } from 'vite-plugin-compression2';

// The budget for what a first visit downloads before anything renders: the entry chunk and its static imports.
const INITIAL_JS_BUDGET = 200 * 1024;

/** Prints the gzip size of the initial JS after `vite build`, and fails the build past the budget. */
function initialBundleSize(): Plugin {
  return {
    name: 'covey:initial-bundle-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(
        Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item] as const] : [])),
      );
      const initial = new Set<string>();
      const visit = (fileName: string) => {
        const chunk = chunks.get(fileName);
        if (!chunk || initial.has(fileName)) return;
        initial.add(fileName);
        chunk.imports.forEach(visit);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);

      let total = 0;
      const lines = [...initial].map((fileName) => {
        const size = gzipSync(chunks.get(fileName)?.code ?? '').length;
        total += size;
        return `  ${fileName}  ${(size / 1024).toFixed(1)} kB gzip`;
      });
      const lazy = chunks.size - initial.size;
      console.log(
        `\nInitial JS (entry + static imports):\n${lines.join('\n')}\n  total ${(total / 1024).toFixed(1)} kB gzip ` +
          `(budget ${INITIAL_JS_BUDGET / 1024} kB); ${lazy} lazy chunk(s) load on demand\n`,
      );
      if (total > INITIAL_JS_BUDGET) this.error(`initial JS is ${total} bytes gzip, over the ${INITIAL_JS_BUDGET} budget`);
    },
  };
}

/**
 * The stylesheet (17 kB, 4.8 kB compressed) is written into index.html: the first paint waits for no request but the
 * page's own (the CSP allows inline styles). The file stays in dist for anything that links it.
 */
function inlineStylesheet(): Plugin {
  return {
    name: 'covey:inline-stylesheet',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        return html.replace(/<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g, (tag, fileName: string) => {
          const asset = ctx.bundle?.[fileName];
          if (asset?.type !== 'asset') throw new Error(`covey:inline-stylesheet: ${fileName} is not in the bundle`);
          return `<style>${String(asset.source).replaceAll('</style', '<\\/style')}</style>`;
        });
      },
    },
  };
}

/**
 * react-router publishes its production build (dev warnings off) in `dist/production` but its package exports only
 * name `dist/development`; the production bundle takes the production files (same code, ENABLE_DEV_WARNINGS false).
 */
function reactRouterProduction() {
  const require = createRequire(createRequire(import.meta.url).resolve('react-router-dom'));
  const dist = path.join(path.dirname(require.resolve('react-router')), '..', 'production');
  return [
    { find: /^react-router$/, replacement: path.join(dist, 'index.mjs') },
    { find: /^react-router\/dom$/, replacement: path.join(dist, 'dom-export.mjs') },
  ];
}

export default defineConfig(({ command }) => ({
  plugins: [
    react(),
    initialBundleSize(),
    inlineStylesheet(),
    // Brotli and gzip copies of every text asset, served as they are by the API (@fastify/static preCompressed).
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css|html|svg|json|txt)$/, threshold: 512 }),
  ],
  // `@/` maps to src/ through tsconfig.json's `paths`, so TypeScript and Vite read one definition.
  resolve: { tsconfigPaths: true, alias: command === 'build' ? reactRouterProduction() : [] },
  server: {
    port: 5173,
    // In development the SPA and API run on separate ports; same-origin `/api` calls keep the client code identical
    // to production, where the API serves the built SPA.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: true } },
  },
  build: { outDir: 'dist', sourcemap: true },
}));
