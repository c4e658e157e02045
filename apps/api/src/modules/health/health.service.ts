import type { Deps } from '../../lib/deps.ts';

/** Readiness: the database answers a query (the load balancer sends traffic only then). */
export function healthService(deps: Deps<'db'>) {
  return {
    async ready() {
      await deps.db.query('SELECT 1');
      return { status: 'ready' as const, database: deps.db.kind };
    },
  };
}
