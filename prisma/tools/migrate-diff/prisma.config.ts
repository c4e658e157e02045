// Prisma 6 config used ONLY by diff.mjs to compute migration SQL offline (see README.md).
// The schema engine runs as wasm (`engine: "js"`) against in-memory PGlite databases, so neither
// the native schema engine (which cannot be downloaded here) nor a database server is needed.
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { defineConfig, type PrismaConfig } from 'prisma/config';

// The factory type Prisma 6.19 expects. pglite-prisma-adapter 0.6.1 is typed against
// @prisma/driver-adapter-utils 6.10.1 (structurally slightly different, identical at runtime).
type MigrationAdapterFactory = Awaited<ReturnType<Extract<PrismaConfig, { engine: 'js' }>['adapter']>>;
type Queryable = Pick<PGlite, 'query' | 'exec'>;

/**
 * pglite-prisma-adapter sends everything through `query` (extended protocol), which rejects
 * multi-statement scripts ("cannot insert multiple commands into a prepared statement").
 * Statements without parameters go through `exec` (simple protocol) instead, keeping the
 * adapter's row mode and parsers. Transactions get the same treatment.
 */
function simpleProtocolForScripts<T extends Queryable>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (prop === 'query') {
        return async (sql: string, params?: unknown[], options?: object) => {
          if (params && params.length > 0) return obj.query(sql, params, options);
          const results = await obj.exec(sql, options);
          const last = results[results.length - 1] ?? { rows: [], fields: [] };
          const affectedRows = results.reduce((n, r) => n + (r.affectedRows ?? 0), 0);
          return { ...last, affectedRows };
        };
      }
      if (prop === 'transaction') {
        const pg = obj as unknown as PGlite;
        return <R>(cb: (tx: Transaction) => Promise<R>) => pg.transaction((tx) => cb(simpleProtocolForScripts(tx)));
      }
      const value = Reflect.get(obj, prop, receiver);
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

async function freshAdapter() {
  const db = new PGlite();
  await db.waitReady;
  const adapter = await new PrismaPGlite(simpleProtocolForScripts(db)).connect();
  // The adapter's executeScript does not await `exec`, so a failing migration would go unnoticed.
  const withErrors = adapter as unknown as { onError(e: unknown): never };
  adapter.executeScript = async (script: string) => {
    try {
      await db.exec(script);
    } catch (e) {
      withErrors.onError(e);
    }
  };
  return adapter;
}

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  adapter: async () =>
    ({
      provider: 'postgres',
      adapterName: 'pglite-prisma-adapter',
      connect: freshAdapter,
      connectToShadowDb: freshAdapter,
    }) as unknown as MigrationAdapterFactory,
});
