import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

/**
 * Follow-up reminders on a small tree with known data:
 *   Acme (observer: top) ─ France (observer: fr, admin: gadmin) ─ Paris (learners: lea, hugo, zoe, gone*; observer: top)
 *                        │                                        └ Paris 15 (learner: noe)
 *                        └ Belgium (learner: mila)
 * (*gone is deactivated.) Last logins: lea never, hugo 20 days ago, zoe 10, noe 40, mila 30.
 * P (referent: ref) assigned to France, running from 50 days ago to 50 days ahead (half elapsed);
 * progress: lea 0, noe 0, hugo 25, zoe 75. Q (no referent, no dates) assigned to Acme. R assigned to Paris only.
 */
let t: TestContext;
let admin: TestUser, top: TestUser, fr: TestUser, gadmin: TestUser, ref: TestUser, outsider: TestUser;
let lea: TestUser, hugo: TestUser, zoe: TestUser, noe: TestUser, mila: TestUser, gone: TestUser;
let acme: { id: string }, france: { id: string }, paris: { id: string };
let p: { id: string }, q: { id: string }, r: { id: string };

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
/** Signed in (and so active) n days ago. */
const seen = (n: number) => ({ lastLoginAt: daysAgo(n), lastActivityAt: daysAgo(n) });

beforeAll(async () => {
  t = await createTestContext();
  [admin, top, fr, gadmin, ref, outsider, lea, hugo, zoe, noe, mila, gone] = await Promise.all([
    t.user('admin'), t.user('learner'), t.user('learner'), t.user('learner'), t.user('trainer'), t.user('learner'),
    t.user('learner'), t.user('learner', seen(20)), t.user('learner', seen(10)),
    t.user('learner', seen(40)), t.user('learner', seen(30)),
    t.user('learner', { status: 'deactivated' }),
  ]);
  acme = await t.group('Acme');
  france = await t.group('France', acme.id);
  paris = await t.group('Paris', france.id);
  const paris15 = await t.group('Paris 15', paris.id);
  const belgium = await t.group('Belgium', acme.id);
  await t.member(acme.id, top.id, 'observer');
  await t.member(paris.id, top.id, 'observer');
  await t.member(france.id, fr.id, 'observer');
  await t.member(france.id, gadmin.id, 'admin');
  for (const u of [lea, hugo, zoe, gone]) await t.member(paris.id, u.id, 'learner');
  await t.member(paris15.id, noe.id, 'learner');
  await t.member(belgium.id, mila.id, 'learner');
  p = await t.program({ referentId: ref.id, startsAt: daysAgo(50), endsAt: daysAgo(-50) });
  q = await t.program();
  r = await t.program({ referentId: ref.id });
  for (const [program, group] of [[p, france], [q, acme], [r, paris]] as const)
    expect((await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${group.id}` })).statusCode).toBe(200);
  for (const [u, progress] of [[hugo, 25], [zoe, 75]] as const)
    await t.db.prisma.enrollment.update({ where: { userId_programId: { userId: u.id, programId: p.id } }, data: { progress, status: 'in_progress' } });
});
afterAll(async () => t?.close());

const send = (user: TestUser | null, group: string, payload: Record<string, unknown>) =>
  t.as(user, { method: 'POST', url: `/api/v1/groups/${group}/reminders`, payload: { message: 'Keep going', ...payload } });
const ids = (res: { json(): { recipients: { id: string }[] } }) => res.json().recipients.map((u) => u.id).sort();
const sorted = (...users: TestUser[]) => users.map((u) => u.id).sort();

describe('who may send a reminder', () => {
  it('observers (of the group or an ancestor), group admins and workspace admins may; learners 403, others 404, anonymous 401', async () => {
    for (const who of [top, fr, gadmin, admin]) {
      const res = await send(who, paris.id, { userIds: [lea.id] });
      expect(res.statusCode, who.email).toBe(201);
      expect(res.json()).toMatchObject({ groupId: paris.id, programId: null, recipientCount: 1 });
    }
    expect(problem(await send(lea, paris.id, { userIds: [hugo.id] }), 403).code).toBe('forbidden');
    for (const who of [outsider, mila, ref]) expect(problem(await send(who, paris.id, { userIds: [lea.id] }), 404).code).toBe('group_not_found');
    problem(await send(null, paris.id, { userIds: [lea.id] }), 401);
    problem(await send(admin, randomUUID(), { userIds: [lea.id] }), 404);
  });

  it('for a program with a referent: the referent and admins may, the group’s observers may not', async () => {
    for (const who of [ref, admin]) expect((await send(who, paris.id, { programId: p.id, userIds: [hugo.id] })).statusCode, who.email).toBe(201);
    for (const who of [fr, top, gadmin]) problem(await send(who, paris.id, { programId: p.id, userIds: [hugo.id] }), 403);
    problem(await send(lea, paris.id, { programId: p.id, userIds: [hugo.id] }), 403);
    problem(await send(outsider, paris.id, { programId: p.id, userIds: [hugo.id] }), 404);
  });

  it('for a program without referent, observers may', async () => {
    const res = await send(fr, paris.id, { programId: q.id, userIds: [zoe.id] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ programId: q.id, recipientCount: 1 });
  });

  it('refuses a program not assigned to the group or its ancestors with 422', async () => {
    // R is assigned to Paris, a subgroup of France: it does not reach France as a whole.
    expect(problem(await send(admin, france.id, { programId: r.id, userIds: [lea.id] }), 422).code).toBe('invalid_reference');
    problem(await send(admin, paris.id, { programId: randomUUID(), userIds: [lea.id] }), 422);
  });
});

/**
 * Requests made by the fixture's learners above count as activity, written by a flush every 15 s: before reading the
 * inactive segment, flush and put back the fixture's known activity.
 */
async function knownActivity() {
  await t.app.flushActivity();
  for (const [u, n] of [[lea, null], [hugo, 20], [zoe, 10], [noe, 40], [mila, 30]] as const)
    await t.db.prisma.user.update({ where: { id: u.id }, data: { lastActivityAt: n === null ? null : daysAgo(n) } });
}

describe('segments', () => {
  beforeEach(knownActivity);
  it('inactive: never active or not for N days (body, else the workspace setting), learners of the subtree only', async () => {
    expect(ids(await send(admin, paris.id, { segment: 'inactive' }))).toEqual(sorted(lea, hugo, noe));
    expect(ids(await send(admin, paris.id, { segment: 'inactive', inactiveDays: 7 }))).toEqual(sorted(lea, hugo, zoe, noe));
    await t.db.prisma.workspace.update({ where: { id: 1 }, data: { inactiveDays: 30 } });
    try {
      expect(ids(await send(admin, paris.id, { segment: 'inactive' }))).toEqual(sorted(lea, noe));
    } finally {
      await t.db.prisma.workspace.update({ where: { id: 1 }, data: { inactiveDays: 14 } });
    }
    // France's subtree also holds Paris; Belgium (mila) is not in it.
    expect(ids(await send(admin, france.id, { segment: 'inactive' }))).toEqual(sorted(lea, hugo, noe));
  });

  it('not_started and behind follow the program’s enrollments and schedule', async () => {
    const notStarted = await send(ref, paris.id, { programId: p.id, segment: 'not_started' });
    expect(notStarted.json()).toMatchObject({ segment: 'not_started', recipientCount: 2 });
    expect(ids(notStarted)).toEqual(sorted(lea, noe));
    // Half of the schedule has elapsed: 0 and 25 are behind, 75 is not.
    expect(ids(await send(ref, paris.id, { programId: p.id, segment: 'behind' }))).toEqual(sorted(lea, noe, hugo));
    const unscheduled = problem(await send(fr, paris.id, { programId: q.id, segment: 'behind' }), 422);
    expect(unscheduled.errors?.[0]?.field).toBe('body.segment');
  });

  it('never reminds the sender, even when the sender is also a learner there', async () => {
    const solo = await t.group('Solo');
    const [coach, pupil] = await Promise.all([t.user('learner'), t.user('learner')]);
    await t.member(solo.id, coach.id, 'observer', 'learner');
    await t.member(solo.id, pupil.id, 'learner');
    expect(ids(await send(coach, solo.id, { segment: 'inactive' }))).toEqual([pupil.id]);
    problem(await send(coach, solo.id, { userIds: [coach.id] }), 422);
  });

  it('rejects userIds outside the group’s subtree with 422 and writes nothing', async () => {
    const counts = () => Promise.all([t.db.prisma.reminder.count(), t.db.prisma.reminderRecipient.count(), t.db.prisma.notification.count(), t.db.prisma.mailMessage.count()]);
    const before = await counts();
    const res = problem(await send(admin, paris.id, { userIds: [lea.id, mila.id], message: 'Nope' }), 422);
    expect(res.errors?.map((e) => e.message)).toEqual([`${mila.id} is not reachable`]);
    problem(await send(admin, paris.id, { userIds: [gone.id] }), 422);
    problem(await send(admin, paris.id, { userIds: [top.id] }), 422); // an observer of Paris, not a learner
    expect(await counts()).toEqual(before);
  });
});

describe('what a reminder does', () => {
  beforeEach(knownActivity);
  it('records the reminder and its recipients, notifies each once, and mails those who want mail at once', async () => {
    await t.db.prisma.user.update({ where: { id: hugo.id }, data: { notifyEmail: 'digest' } });
    await t.db.prisma.user.update({ where: { id: noe.id }, data: { notifyEmail: 'never' } });
    const message = `Log in this week ${randomUUID().slice(0, 6)}`;
    const res = await send(admin, paris.id, { segment: 'inactive', message });
    expect(res.statusCode).toBe(201);
    const { id } = res.json();

    const row = await t.db.prisma.reminder.findUniqueOrThrow({ where: { id }, include: { recipients: true } });
    expect(row).toMatchObject({ senderId: admin.id, groupId: paris.id, programId: null, segment: 'inactive', message, recipientCount: 3 });
    expect(row.recipients.map((x) => x.userId).sort()).toEqual(sorted(lea, hugo, noe));

    const notes = await t.db.prisma.notification.findMany({ where: { data: { path: ['reminderId'], equals: id } } });
    expect(notes.map((n) => n.userId).sort()).toEqual(sorted(lea, hugo, noe));
    for (const n of notes) expect(n).toMatchObject({ type: 'reminder', actorId: admin.id, groupId: paris.id, data: { message } });

    const inbox = await t.as(lea, { method: 'GET', url: '/api/v1/me/notifications' });
    expect(inbox.json().items[0]).toMatchObject({ type: 'reminder', message, actor: { id: admin.id }, group: { id: paris.id, name: 'Paris' } });

    const mails = await t.db.prisma.mailMessage.findMany({ where: { text: { contains: message } } });
    expect(mails.map((m) => m.to)).toEqual([lea.email]);
    expect(mails[0]).toMatchObject({ kind: 'reminder', status: 'queued' });
    expect(notes.filter((n) => n.mailedAt).map((n) => n.userId)).toEqual([lea.id]);
    const [jobs] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send' AND data->>'mailId' = $1`, [mails[0]!.id]);
    expect(jobs!.n).toBe(1);
  });
});

describe('limits and validation', () => {
  it('allows 20 reminders an hour per sender, then answers 429 with Retry-After', async () => {
    const busy = await t.user('admin');
    const halfAnHourAgo = new Date(Date.now() - 1_800_000);
    await t.db.prisma.reminder.createMany({
      data: Array.from({ length: 19 }, () => ({ senderId: busy.id, groupId: paris.id, message: 'old', createdAt: halfAnHourAgo })),
    });
    // An old one, out of the window, does not count.
    await t.db.prisma.reminder.create({ data: { senderId: busy.id, groupId: paris.id, message: 'older', createdAt: daysAgo(1) } });
    expect((await send(busy, paris.id, { userIds: [lea.id] })).statusCode).toBe(201);
    const before = await t.db.prisma.reminder.count({ where: { senderId: busy.id } });
    const limited = await send(busy, paris.id, { userIds: [lea.id] });
    expect(problem(limited, 429).code).toBe('rate_limited');
    // A slot frees when the oldest reminder of the window leaves it, in about half an hour.
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(1700);
    expect(retryAfter).toBeLessThanOrEqual(1800);
    expect(await t.db.prisma.reminder.count({ where: { senderId: busy.id } })).toBe(before);
    // Other senders are not affected.
    expect((await send(admin, paris.id, { userIds: [lea.id] })).statusCode).toBe(201);
  });

  it('answers 400 to malformed bodies', async () => {
    const bodies = [
      { userIds: [lea.id], segment: 'inactive' },
      {},
      { segment: 'behind' },
      { segment: 'not_started' },
      { segment: 'inactive', message: '   ' },
      { segment: 'inactive', message: undefined },
      { segment: 'sleepy' },
      { userIds: [] },
      { userIds: ['not-a-uuid'] },
      { segment: 'inactive', inactiveDays: 0 },
      { segment: 'inactive', extra: true },
    ];
    const before = await t.db.prisma.reminder.count();
    for (const body of bodies) expect(problem(await send(admin, paris.id, body), 400).code, JSON.stringify(body)).toBe('validation_failed');
    expect(await t.db.prisma.reminder.count()).toBe(before);
  });
});
