import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { PgBoss, fromPglite, type Job, type Queue, type WorkOptions } from 'pg-boss';
import type { Database } from '../db/database.ts';
import type { Deps } from '../lib/deps.ts';

declare module 'fastify' {
  interface FastifyInstance {
    boss: PgBoss;
    /** Whether this process runs job workers and schedules (tests may only enqueue). */
    workers: boolean;
    /** Runs every module's clean-up now (the hourly maintenance job does so); returns how many rows each removed. */
    housekeeping: (now?: Date) => Promise<Record<string, number>>;
  }
}

/**
 * What a module hands the job runner (its `<domain>.jobs.ts`):
 * - `queue`: a durable pg-boss queue, created in every process (any process may enqueue) and worked in worker
 *   processes; with a `schedule` (cron, UTC) pg-boss enqueues it once across all processes. The name is stored with
 *   its jobs and schedule: a renamed queue lists its old name in `renamedFrom`.
 * - `poll`: an in-process loop every `everyMs` in worker processes, never overlapping itself; `signal` aborts when
 *   the app closes.
 * - `cleanUp`: run by the hourly maintenance job; answers how many rows it removed.
 */
export type JobSpec =
  | {
      kind: 'queue';
      name: string;
      schedule?: string;
      renamedFrom?: string;
      /** pg-boss queue settings (how long a job may stay active before another worker takes it over, …). */
      queueOptions?: Omit<Queue, 'name'>;
      options?: WorkOptions;
      /** Runs once when this process starts working the queue (a catch-up), before its handler takes jobs. */
      onStart?(): Promise<void>;
      handler(jobs: Job<object>[]): Promise<void>;
      /** Releases what the handler holds (an SMTP pool), after the workers stopped. */
      close?(): Promise<void>;
    }
  | { kind: 'poll'; name: string; everyMs: number; handler(signal: AbortSignal): Promise<void> }
  | { kind: 'cleanUp'; name: string; handler(now: Date): Promise<number> };

/** What a module's jobs are built from: the database, the queue, settings, secrets, file storage, the log. */
export type JobDeps = Deps<'db' | 'env' | 'boss' | 'secrets' | 'storage' | 'forgetPrincipal' | 'log'>;

/** A module's jobs, built once the app has its database, queue and secrets. */
export type ModuleJobs = (app: JobDeps) => JobSpec[];

/** A queue spec whose handler reads its own job data type. */
export function queueJob<T extends object>(
  spec: Omit<Extract<JobSpec, { kind: 'queue' }>, 'kind' | 'handler'> & { handler(jobs: Job<T>[]): Promise<void> },
): JobSpec {
  return { kind: 'queue', ...spec };
}

export const MAINTENANCE_QUEUE = 'maintenance';

/** The durable job queue (pg-boss) in the app's own database, on the PostgreSQL server or on embedded PGlite. */
export async function startBoss(db: Database, opts: { schedule?: boolean; supervise?: boolean } = {}): Promise<PgBoss> {
  const common = { schedule: opts.schedule ?? true, supervise: opts.supervise ?? true };
  const boss =
    db.kind === 'pglite' && db.pglite
      ? new PgBoss({ db: fromPglite(db.pglite), backend: 'pglite', ...common })
      : new PgBoss({ connectionString: db.url, max: 4, ...common });
  boss.on('error', () => undefined);
  await boss.start();
  return boss;
}

/** Starts pg-boss and runs what the modules hand it: their queues, polls and hourly clean-ups. */
export const jobsPlugin = fp(
  async (app: FastifyInstance, opts: { workers: boolean; modules: ModuleJobs[] }) => {
    const boss = await startBoss(app.db, { schedule: opts.workers, supervise: opts.workers });
    app.decorate('boss', boss);
    app.decorate('workers', opts.workers);
    const specs = opts.modules.flatMap((jobsOf) => jobsOf(app));
    const queues = specs.filter((s) => s.kind === 'queue');
    const polls = specs.filter((s) => s.kind === 'poll');
    const cleanUps = specs.filter((s) => s.kind === 'cleanUp');

    app.decorate('housekeeping', async (now = new Date()) => {
      const removed: Record<string, number> = {};
      for (const cleanUp of cleanUps) removed[cleanUp.name] = await cleanUp.handler(now);
      return removed;
    });

    await boss.createQueue(MAINTENANCE_QUEUE);
    for (const queue of queues) await boss.createQueue(queue.name, queue.queueOptions);
    const closing = new AbortController();
    app.addHook('onClose', async () => {
      closing.abort();
      await boss.stop({ graceful: true, timeout: 5_000 });
      for (const queue of queues) await queue.close?.();
    });
    if (!opts.workers) return;

    // Housekeeping, once per hour across all processes.
    await boss.schedule(MAINTENANCE_QUEUE, '17 * * * *');
    await boss.work(MAINTENANCE_QUEUE, async () => {
      await app.housekeeping();
    });
    for (const queue of queues) {
      if (queue.renamedFrom) {
        await boss.unschedule(queue.renamedFrom);
        if (await boss.getQueue(queue.renamedFrom)) await boss.deleteQueue(queue.renamedFrom);
      }
      if (queue.schedule) await boss.schedule(queue.name, queue.schedule);
      await queue.onStart?.();
      await boss.work<object>(queue.name, queue.options ?? {}, (jobs) => queue.handler(jobs));
    }
    for (const poll of polls) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        poll
          .handler(closing.signal)
          .catch((error: unknown) => app.log.warn({ err: error }, `${poll.name} failed; will retry`))
          .finally(() => (running = false));
      }, poll.everyMs);
      timer.unref();
      closing.signal.addEventListener('abort', () => clearInterval(timer));
    }
  },
  { name: 'covey-jobs', dependencies: ['covey-db'] },
);
