import { queueJob, type ModuleJobs } from '../../plugins/jobs.ts';
import { BULK_QUEUE, processBulkOperation } from './bulk.service.ts';

/** Bulk membership operations, processed in the background (resumable: a crashed run is retried). */
export const bulkJobs: ModuleJobs = (app) => [
  queueJob<{ operationId: string }>({
    name: BULK_QUEUE,
    handler: async ([job]) => {
      if (job) await processBulkOperation(app, job.data.operationId);
    },
  }),
];
