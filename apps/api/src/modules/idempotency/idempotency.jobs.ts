import type { ModuleJobs } from '../../plugins/jobs.ts';

/** Idempotency records past their expiry go (hourly clean-up). */
export const idempotencyJobs: ModuleJobs = (app) => [
  {
    kind: 'cleanUp',
    name: 'idempotency.records',
    handler: async (now) => (await app.db.prisma.idempotencyRecord.deleteMany({ where: { expiresAt: { lt: now } } })).count,
  },
];
