import { queueJob, type ModuleJobs } from '../../plugins/jobs.ts';
import { ENROLLMENT_MAIL_QUEUE, sendEnrollmentMails } from './enrollment-mail.ts';

/** "You are enrolled" mails, every minute for the enrollments not yet told. */
export const enrollmentsJobs: ModuleJobs = (app) => [
  queueJob({
    name: ENROLLMENT_MAIL_QUEUE,
    schedule: '* * * * *',
    handler: async () => {
      await sendEnrollmentMails(app);
    },
  }),
];
