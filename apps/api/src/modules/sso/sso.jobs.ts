import type { ModuleJobs } from '../../plugins/jobs.ts';
import { DAY_MS } from '../../lib/time.ts';

/** Single sign-on requests go a day past their expiry (hourly clean-up). */
export const ssoJobs: ModuleJobs = (app) => [
  {
    kind: 'cleanUp',
    name: 'sso.requests',
    handler: async (now) =>
      (await app.db.prisma.ssoRequest.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - DAY_MS) } } }))
        .count,
  },
];
