import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMails } from '../src/modules/mail/mail.service.ts';
import { createTestContext, type TestContext } from './helpers.ts';

/** Queueing mails in the caller's transaction, for a reminder to a whole segment (thousands of learners). */
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

describe('queueMails', () => {
  it('queues 20,000 mails in one transaction, one statement at a time on its connection', async () => {
    // node-postgres warns when a statement is sent while another runs on the same connection (pg 9 will refuse
    // it): what Prisma does when it splits one large createMany into chunks by itself.
    const warnings: string[] = [];
    const onWarning = (w: Error) => void (w.name === 'DeprecationWarning' && warnings.push(w.message));
    process.on('warning', onWarning);
    try {
      const mails = Array.from({ length: 20_000 }, (_, i) => ({ to: `m${i}@queue.test`, subject: 'S', text: 'T', html: '<p>T</p>', kind: 'reminder' }));
      const ids = await t.db.prisma.$transaction((tx) => queueMails(t.app, tx, mails), { timeout: 60_000 });
      expect(new Set(ids).size).toBe(20_000);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
    expect(await t.db.prisma.mailMessage.count({ where: { kind: 'reminder', to: { endsWith: '@queue.test' } } })).toBe(20_000);
    const [jobs] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send'`);
    expect(jobs!.n).toBe(20_000);
  }, 120_000);
});
