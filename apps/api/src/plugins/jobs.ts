import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { PgBoss, fromPglite } from 'pg-boss';
import type { Database } from '../db/database.ts';
import { pruneOutbox } from '../modules/webhooks/delivery.ts';

declare module 'fastify' {
  interface FastifyInstance {
    boss: PgBoss;
    /** Whether this process runs job workers and schedules (tests may only enqueue). */
    workers: boolean;
  }
}

export const MAINTENANCE_QUEUE = 'maintenance';

/** Expired refresh tokens and idempotency records go, and the webhook log older than its retention. */
export async function housekeeping(app: FastifyInstance, now = new Date()) {
  const prisma = app.db.prisma;
  await prisma.refreshToken.deleteMany({ where: { expiresAt: { lt: now } } });
  await prisma.idempotencyRecord.deleteMany({ where: { expiresAt: { lt: now } } });
  await prisma.ssoRequest.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 86_400_000) } } });
  const events = await pruneOutbox(prisma, new Date(now.getTime() - app.env.WEBHOOK_LOG_RETENTION_DAYS * 86_400_000));
  return { events };
}

/** The durable job queue (pg-boss) in the app's own database, on the PostgreSQL server or on embedded PGlite. */
export async function startBoss(db: Database, opts: { schedule?: boolean; supervise?: boolean } = {}): Promise<PgBoss> {
  const common = { schedule: opts.schedule ?? true, supervise: opts.supervise ?? true };
  const boss =
    db.kind === 'pglite' && db.pglite
      ? new PgBoss({ db: fromPglite(db.pglite), backend: 'pglite', ...common })
      : new PgBoss({ connectionString: db.url, max: 4, ...common });
  boss.on('error', () => undefined);
  await boss.start();
  return boss;
}

export const jobsPlugin = fp(
  async (app: FastifyInstance, opts: { workers: boolean }) => {
    const boss = await startBoss(app.db, { schedule: opts.workers, supervise: opts.workers });
    app.decorate('boss', boss);
    app.decorate('workers', opts.workers);
    await boss.createQueue(MAINTENANCE_QUEUE);
    app.addHook('onClose', async () => {
      await boss.stop({ graceful: true, timeout: 5_000 });
    });
    if (!opts.workers) return;
    // Housekeeping, once per hour across all processes.
    await boss.schedule(MAINTENANCE_QUEUE, '17 * * * *');
    await boss.work(MAINTENANCE_QUEUE, async () => {
      await housekeeping(app);
    });
  },
  { name: 'covey-jobs', dependencies: ['covey-db'] },
);
