import type { Database } from '../db/database.ts';
import type { Tx } from '../db/sql.ts';

class Rollback<T> extends Error {
  constructor(readonly result: T) {
    super('dry run');
  }
}

/**
 * Runs a change in a transaction that is then rolled back, and answers what it did: a dry run tells exactly what the
 * change would do (who is enrolled or withdrawn) because it is the change, minus the commit.
 */
export async function rehearse<T>(prisma: Database['prisma'], change: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    await prisma.$transaction(async (tx) => {
      throw new Rollback(await change(tx));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.result as T;
    throw error;
  }
  throw new Error('unreachable: a rehearsal always rolls back');
}
