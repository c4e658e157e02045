import type { Database } from '../../db/database.ts';

/** Readiness: the database answers a query (the load balancer sends traffic only then). */
export function healthService(deps: { db: Database }) {
  return {
    async ready() {
      await deps.db.query('SELECT 1');
      return { status: 'ready' as const, database: deps.db.kind };
    },
  };
}
