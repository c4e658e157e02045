import { queueJob, type ModuleJobs } from '../../plugins/jobs.ts';
import { CERTIFICATE_QUEUE, generateCertificate, queueMissingCertificates } from './certificate.ts';

/**
 * Certificates, one job per completed enrollment (queued with the completion); when workers start, completions that
 * have no certificate yet are queued again.
 */
export const documentsJobs: ModuleJobs = (app) => [
  queueJob<{ enrollmentId: string }>({
    name: CERTIFICATE_QUEUE,
    onStart: async () => {
      await queueMissingCertificates(app);
    },
    handler: async ([job]) => {
      if (job) await generateCertificate(app, job.data.enrollmentId);
    },
  }),
];
