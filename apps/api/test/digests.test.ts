import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentPeriod, runObserverDigests } from '../src/modules/digests/digest.service.ts';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

/**
 * Observer digests on a small tree with known answers:
 *   Org ─ North (learners n1 n2 n3; observers: both, north) ─ South (learners s1 s2; observer: both) ─ Empty (observer: lonely)
 * P "Pathway" is assigned to North, Q "Quest" to Org; both run from 10 days ago to 10 days ahead (half elapsed).
 *
 *   learner  last login  member since  P progress  Q progress
 *   n1       1 day ago   30 days       75          100 (completed)
 *   n2       never       today         0           0
 *   n3       20 days     30 days       25          75
 *   s1       2 days      30 days       -           25
 *   s2       30 days     today         -           0
 */
let t: TestContext;
let admin: TestUser, both: TestUser, north: TestUser, lonely: TestUser, nobody: TestUser;
let n1: TestUser, n2: TestUser, n3: TestUser, s1: TestUser, s2: TestUser;
let org: { id: string }, northG: { id: string }, southG: { id: string }, empty: { id: string };
let P: { id: string; stepIds: string[] }, Q: { id: string; stepIds: string[] };

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

beforeAll(async () => {
  t = await createTestContext();
  [admin, both, north, lonely, nobody] = await Promise.all([
    t.user('admin'),
    t.user('learner', { firstName: 'Bea' }),
    t.user('learner', { firstName: 'Nils' }),
    t.user('learner', { firstName: 'Lone' }),
    t.user('learner'),
  ]);
  n1 = await t.user('learner', { firstName: 'Nora', lastName: 'One' });
  n2 = await t.user('learner', { firstName: 'Ned', lastName: 'Two' });
  n3 = await t.user('learner', { firstName: 'Nina', lastName: 'Three' });
  s1 = await t.user('learner', { firstName: 'Sam', lastName: 'Four' });
  s2 = await t.user('learner', { firstName: 'Sue', lastName: 'Five' });
  org = await t.group('Org');
  northG = await t.group('North', org.id);
  southG = await t.group('South', org.id);
  empty = await t.group('Empty', org.id);
  for (const u of [n1, n2, n3]) await t.member(northG.id, u.id, 'learner');
  for (const u of [s1, s2]) await t.member(southG.id, u.id, 'learner');
  await t.member(northG.id, both.id, 'observer');
  await t.member(southG.id, both.id, 'observer');
  await t.member(northG.id, north.id, 'observer');
  await t.member(empty.id, lonely.id, 'observer');
  await t.db.prisma.membership.updateMany({ where: { userId: { in: [n1.id, n3.id, s1.id] } }, data: { createdAt: daysAgo(30) } });
  P = await t.program({ title: 'Pathway', startsAt: daysAgo(10), endsAt: daysAgo(-10) });
  Q = await t.program({ title: 'Quest', startsAt: daysAgo(10), endsAt: daysAgo(-10) });
  for (const [program, group] of [[P, northG], [Q, org]] as const)
    expect((await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${group.id}` })).statusCode).toBe(200);
  const done: [TestUser, { id: string; stepIds: string[] }, number][] = [[n1, P, 3], [n1, Q, 4], [n3, P, 1], [n3, Q, 3], [s1, Q, 1]];
  for (const [u, program, n] of done)
    for (const step of program.stepIds.slice(0, n))
      expect((await t.as(u, { method: 'POST', url: `/api/v1/programs/${program.id}/steps/${step}/complete` })).statusCode).toBe(200);
  await t.app.flushActivity();
  for (const [u, login] of [[n1, 1], [n2, null], [n3, 20], [s1, 2], [s2, 30]] as const) {
    const at = login === null ? null : daysAgo(login);
    await t.db.prisma.user.update({ where: { id: u.id }, data: { lastLoginAt: at, lastActivityAt: at } });
  }
});
afterAll(async () => t?.close());

const preview = (user: TestUser) => t.as(user, { method: 'GET', url: '/api/v1/me/digest/preview' });
const digestMails = (user: TestUser) => t.db.prisma.mailMessage.findMany({ where: { to: user.email, kind: 'observer_digest' } });
const mailCount = (user: TestUser) => t.db.prisma.mailMessage.count({ where: { to: user.email, kind: 'observer_digest' } });
const inWeeks = (n: number) => new Date(Date.now() + n * 7 * DAY);

describe('digest preview', () => {
  it('an observer of two groups and two programs: members, new members, inactive and behind learners per program', async () => {
    const res = await preview(both);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({ period: currentPeriod('weekly').key, willSend: true, subject: 'Your 2 groups this week' });
    expect(d.groups).toEqual([
      {
        groupId: northG.id, name: 'North', members: 3, newMembers: 1, active7d: 1, completionRate: 0.1667,
        inactive: [{ id: n2.id, name: 'Ned Two', lastLoginAt: null }, { id: n3.id, name: 'Nina Three', lastLoginAt: expect.any(String) }],
        inactiveCount: 2,
        programs: [
          { programId: P.id, title: 'Pathway', enrolled: 3, completed: 0, averageProgress: 33.3, behind: [{ id: n2.id, name: 'Ned Two', progress: 0 }, { id: n3.id, name: 'Nina Three', progress: 25 }], behindCount: 2 },
          { programId: Q.id, title: 'Quest', enrolled: 3, completed: 1, averageProgress: 58.3, behind: [{ id: n2.id, name: 'Ned Two', progress: 0 }], behindCount: 1 },
        ],
      },
      {
        groupId: southG.id, name: 'South', members: 2, newMembers: 1, active7d: 1, completionRate: 0,
        inactive: [{ id: s2.id, name: 'Sue Five', lastLoginAt: expect.any(String) }],
        inactiveCount: 1,
        programs: [
          { programId: Q.id, title: 'Quest', enrolled: 2, completed: 0, averageProgress: 12.5, behind: [{ id: s2.id, name: 'Sue Five', progress: 0 }, { id: s1.id, name: 'Sam Four', progress: 25 }], behindCount: 2 },
        ],
      },
    ]);
    expect(Date.parse(d.groups[0].inactive[1].lastLoginAt)).toBeLessThan(daysAgo(19).getTime());
    expect(d.text).toContain('Not logged in for 14 days (2): Ned Two, Nina Three.');
    expect(d.text).toContain('Behind schedule (2): Sue Five (0%), Sam Four (25%).');
  });

  it('an observer whose groups have no learners: willSend false; a non-observer: 403', async () => {
    const res = await preview(lonely);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ willSend: false, groups: [{ groupId: empty.id, members: 0, inactive: [], programs: [] }] });
    expect(problem(await preview(nobody), 403).code).toBe('forbidden');
    expect(problem(await preview(n1), 403).code).toBe('forbidden');
  });
});

describe('digest runs', () => {
  it('sends each observer one mail covering all their groups, none to an observer with nothing to report; once per period', async () => {
    expect(await runObserverDigests(t.app)).toMatchObject({ period: currentPeriod('weekly').key, sent: 2 });
    const [mail, ...more] = await digestMails(both);
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe('Your 2 groups this week');
    expect(mail!.text).toContain('Hello Bea,');
    expect(mail!.text).toContain('North: 3 learners');
    expect(mail!.text).toContain('South: 2 learners');
    for (const name of ['Ned Two', 'Nina Three', 'Sue Five']) expect(mail!.text).toContain(name);
    const [northMail, ...northMore] = await digestMails(north);
    expect(northMore).toHaveLength(0);
    expect(northMail!.subject).toBe('Your group North this week');
    expect(northMail!.text).toContain('Not logged in for 14 days (2): Ned Two, Nina Three.');
    expect(northMail!.text).not.toContain('Sue Five');
    expect(await mailCount(lonely)).toBe(0);
    expect(await t.db.prisma.mailMessage.count({ where: { kind: 'observer_digest' } })).toBe(2);

    expect(await runObserverDigests(t.app)).toMatchObject({ sent: 0 });
    expect(await t.db.prisma.mailMessage.count({ where: { kind: 'observer_digest' } })).toBe(2);
  });

  it('two concurrent runs of a new period send each observer exactly one mail in total', async () => {
    const now = inWeeks(1);
    const runs = await Promise.all([runObserverDigests(t.app, now), runObserverDigests(t.app, now)]);
    expect(runs.map((r) => r.sent).sort()).toEqual([0, 2]);
    expect([await mailCount(both), await mailCount(north), await mailCount(lonely)]).toEqual([2, 2, 0]);
    const period = currentPeriod('weekly', now).key;
    const run = await t.db.prisma.digestRun.findUniqueOrThrow({ where: { period }, include: { deliveries: true } });
    expect(run.finishedAt).not.toBeNull();
    expect(run.deliveries.map((d) => d.observerId).sort()).toEqual([both.id, north.id].sort());
  });

  it('resumes a run that crashed mid-way: who was served gets no second mail, the others get theirs', async () => {
    const now = inWeeks(2);
    const run = await t.db.prisma.digestRun.create({ data: { period: currentPeriod('weekly', now).key } });
    await t.db.prisma.digestDelivery.create({ data: { runId: run.id, observerId: both.id } });
    expect(await runObserverDigests(t.app, now)).toMatchObject({ sent: 1 });
    expect([await mailCount(both), await mailCount(north)]).toEqual([2, 3]);
    expect((await t.db.prisma.digestRun.findUniqueOrThrow({ where: { id: run.id } })).finishedAt).not.toBeNull();
  });

  it('digestFrequency never (set by an admin) sends nothing; a non-admin may not change it', async () => {
    expect(problem(await t.as(both, { method: 'PATCH', url: '/api/v1/admin/workspace', payload: { digestFrequency: 'never' } }), 403).code).toBe('forbidden');
    expect((await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: 1 } })).digestFrequency).toBe('weekly');
    const res = await t.as(admin, { method: 'PATCH', url: '/api/v1/admin/workspace', payload: { digestFrequency: 'never' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ digestFrequency: 'never', inactiveDays: 14 });
    // Where Covey is reached, read-only beside the settings (no COVEY_PUBLIC_URL here: the request's own URL).
    const settings = await t.as(admin, { method: 'GET', url: '/api/v1/admin/workspace' });
    expect(settings.json()).toMatchObject({ digestFrequency: 'never', publicUrl: 'http://localhost:80' });
    const before = await t.db.prisma.mailMessage.count({ where: { kind: 'observer_digest' } });
    expect(await runObserverDigests(t.app, inWeeks(3))).toMatchObject({ sent: 0 });
    expect(await t.db.prisma.mailMessage.count({ where: { kind: 'observer_digest' } })).toBe(before);
    expect((await preview(both)).json().willSend).toBe(false);
  });
});
