import { queueJob, type ModuleJobs } from '../../plugins/jobs.ts';
import { PEOPLE_IMPORT_QUEUE, processPeopleImport } from './people-apply.ts';

/** People imports, applied in the background once confirmed. */
export const importsJobs: ModuleJobs = (app) => [
  queueJob<{ importId: string }>({
    name: PEOPLE_IMPORT_QUEUE,
    handler: async ([job]) => {
      if (job) await processPeopleImport(app, job.data.importId);
    },
  }),
];
