import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { NOTIFICATION_DIGEST_QUEUE, sendNotificationDigests } from './digest.ts';

/** Daily at 07:00 UTC, once across all processes (a pg-boss schedule). */
export const notificationDigestPlugin = fp(
  async (app: FastifyInstance) => {
    await app.boss.createQueue(NOTIFICATION_DIGEST_QUEUE);
    if (!app.workers) return;
    await app.boss.schedule(NOTIFICATION_DIGEST_QUEUE, '0 7 * * *');
    await app.boss.work(NOTIFICATION_DIGEST_QUEUE, async () => {
      await sendNotificationDigests(app);
    });
  },
  { name: 'covey-notification-digest', dependencies: ['covey-mail'] },
);
