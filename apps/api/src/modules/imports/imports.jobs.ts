import { DAY_MS } from '../../lib/time.ts';
import { queueJob, type ModuleJobs } from '../../plugins/jobs.ts';
import { PEOPLE_IMPORT_QUEUE, processPeopleImport } from './people-apply.ts';

/** A dry run nobody applied is kept this long (the admin may still go ahead), then goes with its rows. */
export const UNAPPLIED_IMPORT_DAYS = 7;
/** An applied import's per-row report is kept this long after it finished (the audit log keeps the changes). */
export const FINISHED_IMPORT_DAYS = 90;

/** People imports, applied in the background once confirmed; old ones cleaned up hourly. */
export const importsJobs: ModuleJobs = (app) => [
  queueJob<{ importId: string }>({
    name: PEOPLE_IMPORT_QUEUE,
    handler: async ([job]) => {
      if (job) await processPeopleImport(app, job.data.importId);
    },
  }),
  {
    kind: 'cleanUp',
    name: 'imports.people',
    handler: async (now) =>
      (
        await app.db.prisma.peopleImport.deleteMany({
          where: {
            OR: [
              { status: 'ready', createdAt: { lt: new Date(now.getTime() - UNAPPLIED_IMPORT_DAYS * DAY_MS) } },
              {
                status: { in: ['completed', 'failed'] },
                finishedAt: { lt: new Date(now.getTime() - FINISHED_IMPORT_DAYS * DAY_MS) },
              },
            ],
          },
        })
      ).count,
  },
];
