import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { sendNotificationSummaries } from '../src/modules/notifications/summary.ts';
import { createTestContext, type TestContext, type TestUser } from './helpers.ts';

/**
 * The daily notification summary. Group "Harbour" observed by daily (digest), weekly (digest), eager (immediately,
 * but 'never' when the posts were made so their notifications are unmailed) and quiet (never); a learner posts.
 */
let t: TestContext;
let daily: TestUser, weekly: TestUser, eager: TestUser, quiet: TestUser, author: TestUser;
let harbour: { id: string };

beforeAll(async () => {
  t = await createTestContext();
  [daily, weekly, eager, quiet, author] = await Promise.all([
    t.user('learner', { notifyEmail: 'digest', firstName: 'Dana' }),
    t.user('learner', { notifyEmail: 'digest', firstName: 'Will' }),
    t.user('learner', { notifyEmail: 'never' }),
    t.user('learner', { notifyEmail: 'never' }),
    t.user('learner', { firstName: 'Ada', lastName: 'Poster' }),
  ]);
  harbour = await t.group('Harbour');
  for (const u of [daily, weekly, eager, quiet]) await t.member(harbour.id, u.id, 'observer');
  await t.member(harbour.id, author.id, 'learner');
});
afterAll(async () => t?.close());

const post = async (body: string) =>
  expect((await t.as(author, { method: 'POST', url: `/api/v1/groups/${harbour.id}/posts`, payload: { body } })).statusCode).toBe(201);
const digestsTo = (user: TestUser) => t.db.prisma.mailMessage.findMany({ where: { to: user.email, kind: 'notification_digest' }, orderBy: { createdAt: 'asc' } });

describe('notification summary', () => {
  it('mails each digest reader one summary of unread, unmailed notifications, and no one else', async () => {
    await post('Already seen');
    await t.db.prisma.notification.updateMany({ where: { userId: daily.id }, data: { readAt: new Date() } });
    await post('Boats at dawn');
    await post('Nets mended');
    await t.db.prisma.user.update({ where: { id: eager.id }, data: { notifyEmail: 'immediately' } });

    expect(await sendNotificationSummaries(t.app)).toBe(2);

    const [mail, ...more] = await digestsTo(daily);
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe('Your Covey activity: 2 new');
    expect(mail!.text).toContain('Hello Dana,');
    expect(mail!.text).toContain('Ada Poster posted in Harbour: Boats at dawn');
    expect(mail!.text).toContain('Ada Poster posted in Harbour: Nets mended');
    expect(mail!.text).not.toContain('Already seen');
    expect(mail!.html).toContain('Nets mended');
    expect((await digestsTo(weekly))[0]!.subject).toBe('Your Covey activity: 3 new');
    for (const u of [eager, quiet]) expect(await t.db.prisma.mailMessage.count({ where: { to: u.email } })).toBe(0);

    const unmailed = await t.db.prisma.notification.findMany({ where: { mailedAt: null }, select: { userId: true, readAt: true } });
    // Digest readers' unread notifications are marked mailed; the read one and the others' stay unmailed.
    expect(unmailed.filter((n) => n.userId === weekly.id)).toHaveLength(0);
    expect(unmailed.filter((n) => n.userId === daily.id)).toEqual([{ userId: daily.id, readAt: expect.any(Date) }]);
    expect(unmailed.filter((n) => n.userId === eager.id)).toHaveLength(3);
    expect(unmailed.filter((n) => n.userId === quiet.id)).toHaveLength(3);

    const [jobs] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send' AND data->>'mailId' = $1`, [mail!.id]);
    expect(jobs!.n).toBe(1);
  });

  it('sends nothing new on a second run', async () => {
    const before = await t.db.prisma.mailMessage.count();
    expect(await sendNotificationSummaries(t.app)).toBe(0);
    expect(await t.db.prisma.mailMessage.count()).toBe(before);
  });

  it('sends each person one mail in total when two runs race', async () => {
    await post('Storm warning');
    const runs = await Promise.all([sendNotificationSummaries(t.app), sendNotificationSummaries(t.app)]);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(2);
    for (const u of [daily, weekly]) {
      const mails = await digestsTo(u);
      expect(mails).toHaveLength(2);
      expect(mails[1]!.text).toContain('Storm warning');
      expect(mails[1]!.subject).toBe('Your Covey activity: 1 new');
    }
  });
});

describe('notification summary queue, renamed', () => {
  it('drops the schedule and queue of its old name when workers start, and schedules the new one', async () => {
    await t.app.boss.createQueue('notifications.digest');
    await t.app.boss.schedule('notifications.digest', '0 7 * * *');
    const workers = await buildApp({ env: t.env, db: t.db, jobs: true });
    try {
      await workers.ready();
      const schedules = (await workers.boss.getSchedules()).map((s) => s.name);
      expect(schedules).toContain('notifications.summary');
      expect(schedules).not.toContain('notifications.digest');
      expect(await workers.boss.getQueue('notifications.digest')).toBeNull();
    } finally {
      await workers.close();
    }
  });
});
