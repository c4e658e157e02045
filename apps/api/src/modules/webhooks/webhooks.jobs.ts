import { queueJob, type ModuleJobs } from '../../plugins/jobs.ts';
import { deliver, dispatchOutbox, pruneOutbox, WEBHOOK_QUEUE, type DeliveryJob } from './delivery.ts';
import { DAY_MS } from '../../lib/time.ts';

const DISPATCH_BATCH = 500;

/**
 * The delivery worker; the outbox dispatch (a short poll in every worker process, safe in parallel); the retention of
 * the webhook log (hourly clean-up).
 */
export const webhooksJobs: ModuleJobs = (app) => [
  queueJob<DeliveryJob>({
    name: WEBHOOK_QUEUE,
    // A delivery takes 10 s at most: one held by a node that died is retried by another after a minute, not 15.
    queueOptions: { expireInSeconds: 60 },
    options: { batchSize: 1, pollingIntervalSeconds: 1 },
    handler: async ([job]) => {
      if (job) await deliver(app, job.data.deliveryId, job.retryCount);
    },
  }),
  {
    kind: 'poll',
    name: 'webhooks.dispatch',
    everyMs: app.env.OUTBOX_POLL_MS,
    // A full batch is soon followed by the next (a 100,000-learner fan-out is dispatched in seconds), with a short
    // pause between them so that a backlog never takes the whole of a core from the requests being served.
    handler: async (signal) => {
      while (!signal.aborted && (await dispatchOutbox(app, DISPATCH_BATCH)) === DISPATCH_BATCH) {
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  },
  {
    kind: 'cleanUp',
    name: 'webhooks.outbox',
    handler: (now) => pruneOutbox(app.db.prisma, new Date(now.getTime() - app.env.WEBHOOK_LOG_RETENTION_DAYS * DAY_MS)),
  },
];
