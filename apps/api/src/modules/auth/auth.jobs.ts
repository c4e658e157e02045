import type { ModuleJobs } from '../../plugins/jobs.ts';

/** Expired refresh tokens go (hourly clean-up). */
export const authJobs: ModuleJobs = (app) => [
  {
    kind: 'cleanUp',
    name: 'auth.refreshTokens',
    handler: async (now) => (await app.db.prisma.refreshToken.deleteMany({ where: { expiresAt: { lt: now } } })).count,
  },
];
