import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/db/seed.ts';
import { createTestContext, signInDemo, parseCsv, type TestContext, type TestUser } from './helpers.ts';

/**
 * Figures a manager can trust: what observers read (notifications, mails, the learners table, its CSV, the cards and
 * the charts) says the same thing as the data, on the demo workspace and on posts written for the purpose.
 */
let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
  await seedDemo(t.db);
}, 60_000);
afterAll(async () => t?.close());

const signIn = (local: string): Promise<TestUser> => signInDemo(t, local);
const groupId = async (name: string) => (await t.db.query<{ id: string }>('SELECT id::text FROM groups WHERE name = $1', [name]))[0]!.id;

describe('notifications', () => {
  it('excerpts are the plain text of the Markdown, punctuation kept, in the API and in the mail', async () => {
    const [author, observer] = [await signIn('learner1'), await signIn('observer1')];
    const body = 'Hello **Paris** team! Read the [follow-up](https://example.com/x) e-mail: it\'s "short" & <sweet>.\n\n## Next';
    const posted = await t.as(author, { method: 'POST', url: `/api/v1/groups/${await groupId('Paris')}/posts`, payload: { body } });
    expect(posted.statusCode).toBe(201);
    const expected = 'Hello Paris team! Read the follow-up e-mail: it\'s "short" & . Next';
    const list = await t.as(observer, { method: 'GET', url: '/api/v1/me/notifications' });
    const note = list.json().items.find((n: { post: { id: string } | null }) => n.post?.id === posted.json().id);
    expect(note).toMatchObject({ type: 'group_post', post: { excerpt: expected } });
    const mail = await t.db.prisma.mailMessage.findFirstOrThrow({ where: { to: observer.email, kind: 'group_post' }, orderBy: { createdAt: 'desc' } });
    expect(mail.text).toContain(expected);
  });

  it('a comment in a group space is announced as a comment, not as a post', async () => {
    const paris = await groupId('Paris');
    const [, second] = await t.db.query<{ email: string }>(
      `SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 AND m.role = 'learner' ORDER BY u.email`,
      [paris],
    );
    const [author, commenter, observer] = [await signIn('learner1'), await signIn(second!.email.split('@')[0]!), await signIn('observer1')];
    const post = await t.as(author, { method: 'POST', url: `/api/v1/groups/${paris}/posts`, payload: { body: 'Who is in on Thursday?' } });
    const comment = await t.as(commenter, { method: 'POST', url: `/api/v1/posts/${post.json().id}/comments`, payload: { body: 'Count me in!' } });
    expect(comment.statusCode, comment.body).toBe(201);
    const notes = await t.db.prisma.notification.findMany({ where: { postId: comment.json().id } });
    expect(notes.find((n) => n.userId === observer.id)?.type).toBe('group_comment');
    expect(notes.find((n) => n.userId === author.id)?.type).toBe('comment_reply');
    const mail = await t.db.prisma.mailMessage.findFirstOrThrow({ where: { to: observer.email, kind: 'group_comment' } });
    expect(mail.subject).toMatch(/ commented in Paris$/);
    expect(mail.text).toContain('Count me in!');
  });
});

describe('reminders', () => {
  it('about a program, never go to those who completed it', async () => {
    const referent = await signIn('trainer');
    const france = await groupId('France');
    const program = (await t.db.query<{ id: string }>(`SELECT id::text FROM programs WHERE title = 'Welcome to Acme'`))[0]!.id;
    const res = await t.as(referent, { method: 'POST', url: `/api/v1/groups/${france}/reminders`, payload: { programId: program, segment: 'inactive', inactiveDays: 1, message: 'Almost there' } });
    expect(res.statusCode, res.body).toBe(201);
    const recipients: string[] = res.json().recipients.map((r: { id: string }) => r.id);
    const completed = await t.db.query<{ user_id: string }>(`SELECT user_id::text FROM enrollments WHERE program_id = $1 AND status = 'completed'`, [program]);
    // Among them, some inactive learners of France: the reminder would have reached them.
    const [inactiveDone] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM enrollments e JOIN users u ON u.id = e.user_id JOIN memberships m ON m.user_id = u.id
       JOIN groups g ON g.id = m.group_id AND g.parent_id = $2
       WHERE e.program_id = $1 AND e.status = 'completed' AND (u.last_activity_at IS NULL OR u.last_activity_at < now() - interval '1 day')`,
      [program, france],
    );
    expect(inactiveDone!.n).toBeGreaterThan(0);
    expect(recipients.length).toBeGreaterThan(0);
    for (const c of completed) expect(recipients).not.toContain(c.user_id);
  });
});

describe('the demo figures agree', () => {
  type Row = { user: { id: string; email: string }; programs: number; averageProgress: number; completed: number; lastLoginAt: string | null; lastActivityAt: string | null };

  it('no "never active" beside someone who signed in; table, CSV and cards say the same; the chart counts the same activity', async () => {
    await t.app.flushActivity();
    const acme = await groupId('Acme');
    const admin = await signIn('admin');
    const rows: Row[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.as(admin, { method: 'GET', url: `/api/v1/groups/${acme}/stats/learners?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` });
      expect(res.statusCode, res.body).toBe(200);
      rows.push(...res.json().items);
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) if (r.lastLoginAt) expect(r.lastActivityAt, r.user.email).not.toBeNull();

    const csv = parseCsv((await t.as(admin, { method: 'GET', url: `/api/v1/groups/${acme}/stats/learners`, headers: { accept: 'text/csv' } })).body);
    const [header, ...lines] = csv;
    const col = (name: string) => header!.indexOf(name);
    expect(lines.map((l) => [l[col('user_id')], l[col('average_progress')], l[col('completed')], l[col('last_activity_at')]])).toEqual(
      rows.map((r) => [r.user.id, String(r.averageProgress), String(r.completed), r.lastActivityAt ?? '']),
    );

    const stats = (await t.as(admin, { method: 'GET', url: `/api/v1/groups/${acme}/stats` })).json();
    expect(stats.members).toBe(rows.length);
    expect(stats.completed).toBe(rows.reduce((n, r) => n + r.completed, 0));
    // Active in the last 7 days: activity on one of the last 7 UTC days, which is what activity_days records.
    const today = new Date(new Date().toISOString().slice(0, 10));
    const since = today.getTime() - 6 * 86_400_000;
    expect(stats.active7d).toBe(rows.filter((r) => r.lastActivityAt && Date.parse(r.lastActivityAt) >= since).length);
    const ids = rows.map((r) => r.user.id);
    const [days] = await t.db.query<{ n: number }>(
      `SELECT count(DISTINCT user_id)::int AS n FROM activity_days WHERE user_id = ANY($1::uuid[]) AND day >= (now() AT TIME ZONE 'UTC')::date - 6`,
      [ids],
    );
    expect(stats.active7d).toBe(days!.n);
    // This week's bar counts the learners with activity this ISO week: those are all active in the last 7 days.
    const thisWeek = stats.weekly.at(-1);
    const [week] = await t.db.query<{ n: number }>(
      `SELECT count(DISTINCT user_id)::int AS n FROM activity_days WHERE user_id = ANY($1::uuid[]) AND day >= date_trunc('week', now() AT TIME ZONE 'UTC')::date`,
      [ids],
    );
    expect(thisWeek.activeLearners).toBe(week!.n);
    expect(thisWeek.activeLearners).toBeLessThanOrEqual(stats.active7d);
  });
});
