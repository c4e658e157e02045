import { queueJob, type ModuleJobs } from '../../plugins/jobs.ts';
import { OBSERVER_DIGEST_QUEUE, runObserverDigests } from './digest.service.ts';

/** Observer digests run from a daily schedule at 07:00 UTC; a weekly workspace sends once per ISO week. */
export const digestsJobs: ModuleJobs = (app) => [
  queueJob({
    name: OBSERVER_DIGEST_QUEUE,
    schedule: '0 7 * * *',
    handler: async () => {
      await runObserverDigests(app);
    },
  }),
];
