import { queueJob, type ModuleJobs } from '../../plugins/jobs.ts';
import { NOTIFICATION_SUMMARY_QUEUE, sendNotificationSummaries } from './summary.ts';

/**
 * The notification summary: daily at 07:00 UTC, once across all processes (a pg-boss schedule). Its queue was named
 * `notifications.digest` before the rename: that schedule and queue are removed (a pending run is simply done by the
 * next one, which claims every unmailed notification).
 */
export const notificationsJobs: ModuleJobs = (app) => [
  queueJob({
    name: NOTIFICATION_SUMMARY_QUEUE,
    renamedFrom: 'notifications.digest',
    schedule: '0 7 * * *',
    handler: async () => {
      await sendNotificationSummaries(app);
    },
  }),
];
