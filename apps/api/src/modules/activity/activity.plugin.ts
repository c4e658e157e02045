import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { writeActivity } from './activity.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Records that a user was active now; written in coalesced batches, never a write per request. */
    touchActivity: (userId: string) => void;
    flushActivity: () => Promise<void>;
  }
}

const FLUSH_MS = 15_000;

/**
 * Activity tracking the statistics rest on: last_activity_at and one activity_days row per user and day. Touches
 * collect in memory and are flushed every 15 s (and on close) by one statement for the whole batch.
 */
export const activityPlugin = fp(
  async (app: FastifyInstance) => {
    let pending = new Set<string>();
    let flushing: Promise<void> = Promise.resolve();

    const flush = async () => {
      if (!pending.size) return;
      const ids = [...pending];
      pending = new Set();
      try {
        await writeActivity(app, ids);
      } catch (error) {
        // The database may be briefly down: keep the ids for the next flush rather than losing them.
        for (const id of ids) pending.add(id);
        app.log.warn({ err: error }, 'activity flush failed; will retry');
      }
    };

    app.decorate('touchActivity', (userId: string) => {
      pending.add(userId);
    });
    app.decorate('flushActivity', () => (flushing = flushing.then(flush)));
    const timer = setInterval(() => void app.flushActivity(), FLUSH_MS);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await app.flushActivity();
    });
  },
  { name: 'covey-activity', dependencies: ['covey-db'] },
);
