import { queueJob, type ModuleJobs } from '../../plugins/jobs.ts';
import { NOTIFICATION_DIGEST_QUEUE, sendNotificationDigests } from './digest.ts';

/** The notification digest: daily at 07:00 UTC, once across all processes (a pg-boss schedule). */
export const notificationsJobs: ModuleJobs = (app) => [
  queueJob({
    name: NOTIFICATION_DIGEST_QUEUE,
    schedule: '0 7 * * *',
    handler: async () => {
      await sendNotificationDigests(app);
    },
  }),
];
