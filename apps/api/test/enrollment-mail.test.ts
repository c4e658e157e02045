import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEnrollmentMails } from '../src/modules/enrollments/enrollment-mail.ts';
import { createTestContext, type TestContext, type TestUser } from './helpers.ts';

let t: TestContext;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestContext({ COVEY_PUBLIC_URL: 'https://covey.example.com' });
  admin = await t.user('admin');
  // What earlier enrollments left (fixtures of other tests in this database) is not this test's concern.
  await sendEnrollmentMails(t.app);
}, 60_000);
afterAll(async () => t?.close());

const mailsTo = (email: string) => t.db.prisma.mailMessage.findMany({ where: { to: email, kind: 'enrolled' } });

describe('"you are enrolled" mail', () => {
  it('tells a learner once per program, however many assignments reach them, with an absolute link', async () => {
    const parent = await t.group('Region');
    const team = await t.group('Team', parent.id);
    const program = await t.program({ title: 'Safety basics' });
    for (const g of [parent.id, team.id])
      expect((await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${g}` })).statusCode).toBe(200);
    const [ana, noMail] = [await t.user('learner'), await t.user('learner')];
    await t.db.prisma.user.update({ where: { id: noMail.id }, data: { notifyEmail: 'never' } });
    for (const u of [ana, noMail])
      expect((await t.as(admin, { method: 'PUT', url: `/api/v1/groups/${team.id}/members/${u.id}`, payload: { roles: ['learner'] } })).statusCode).toBe(200);

    expect(await sendEnrollmentMails(t.app)).toBe(1);
    const mails = await mailsTo(ana.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('You are enrolled in Safety basics');
    expect(mails[0]!.text).toContain(`https://covey.example.com/programs/${program.id}`);
    expect(await mailsTo(noMail.email)).toHaveLength(0);
    // Told once: a second run sends nothing, and every enrollment is marked.
    expect(await sendEnrollmentMails(t.app)).toBe(0);
    expect(await t.db.prisma.enrollment.count({ where: { notifiedAt: null } })).toBe(0);
  });

  it('goes through every batch of a large assignment', async () => {
    const group = await t.group('Large');
    const program = await t.program({ title: 'Everyone' });
    const users = await t.db.prisma.user.createManyAndReturn({
      data: Array.from({ length: 1_200 }, (_, i) => ({ email: `many-${i}-${Date.now()}@test.covey`, firstName: 'M', lastName: `${i}` })),
      select: { id: true },
    });
    await t.db.prisma.membership.createMany({ data: users.map((u) => ({ userId: u.id, groupId: group.id, role: 'learner' as const })) });
    expect((await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${group.id}` })).statusCode).toBe(200);
    expect(await sendEnrollmentMails(t.app, 500)).toBe(1_200);
    expect(await t.db.prisma.mailMessage.count({ where: { kind: 'enrolled', subject: 'You are enrolled in Everyone' } })).toBe(1_200);
  }, 120_000);
});
