import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { PgBoss, fromPglite } from 'pg-boss';
import type { Database } from '../db/database.ts';

declare module 'fastify' {
  interface FastifyInstance {
    boss: PgBoss;
  }
}

export const MAINTENANCE_QUEUE = 'maintenance';

/** The durable job queue (pg-boss) in the app's own database, on the PostgreSQL server or on embedded PGlite. */
export async function startBoss(db: Database): Promise<PgBoss> {
  const boss =
    db.kind === 'pglite' && db.pglite
      ? new PgBoss({ db: fromPglite(db.pglite), backend: 'pglite' })
      : new PgBoss({ connectionString: db.url, max: 4 });
  boss.on('error', () => undefined);
  await boss.start();
  return boss;
}

export const jobsPlugin = fp(
  async (app: FastifyInstance, opts: { enabled: boolean }) => {
    if (!opts.enabled) return;
    const boss = await startBoss(app.db);
    app.decorate('boss', boss);
    await boss.createQueue(MAINTENANCE_QUEUE);
    // Housekeeping: expired refresh tokens and idempotency records. Runs once per hour across all processes.
    await boss.schedule(MAINTENANCE_QUEUE, '17 * * * *');
    await boss.work(MAINTENANCE_QUEUE, async () => {
      await app.db.prisma.refreshToken.deleteMany({ where: { expiresAt: { lt: new Date() } } });
      await app.db.prisma.idempotencyRecord.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    });
    app.addHook('onClose', async () => {
      await boss.stop({ graceful: true, timeout: 5_000 });
    });
  },
  { name: 'covey-jobs', dependencies: ['covey-db'] },
);
