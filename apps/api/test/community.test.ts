import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

/**
 * Visibility and notification rules of API.md on a small tree:
 *   Acme (observer: top)  ─ France (observer: fr, admin: gadmin) ─ Paris (learners: lea, hugo)
 *                         └ Belgium (learner: mila)
 * Program P assigned to France (referent: ref), learners lea, hugo enrolled. Outsider: a learner of nothing.
 */
let t: TestContext;
let admin: TestUser, top: TestUser, fr: TestUser, gadmin: TestUser, lea: TestUser, hugo: TestUser, mila: TestUser, ref: TestUser, outsider: TestUser, trainer: TestUser;
let acme: { id: string }, france: { id: string }, paris: { id: string }, belgium: { id: string };
let program: { id: string };

beforeAll(async () => {
  t = await createTestContext();
  [admin, top, fr, gadmin, lea, hugo, mila, ref, outsider, trainer] = await Promise.all([
    t.user('admin'), t.user('learner'), t.user('learner'), t.user('learner'), t.user('learner'),
    t.user('learner'), t.user('learner'), t.user('trainer'), t.user('learner'), t.user('trainer'),
  ]);
  acme = await t.group('Acme');
  france = await t.group('France', acme.id);
  paris = await t.group('Paris', france.id);
  belgium = await t.group('Belgium', acme.id);
  await t.member(acme.id, top.id, 'observer');
  await t.member(france.id, fr.id, 'observer');
  await t.member(france.id, gadmin.id, 'admin');
  await t.member(paris.id, lea.id, 'learner');
  await t.member(paris.id, hugo.id, 'learner');
  await t.member(belgium.id, mila.id, 'learner');
  program = await t.program({ referentId: ref.id });
  const assigned = await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${france.id}` });
  expect(assigned.json().enrolledCount).toBe(2);
});
afterAll(async () => t?.close());

const post = (user: TestUser, url: string, body: string) => t.as(user, { method: 'POST', url, payload: { body } });
const notificationsOf = (user: TestUser) => t.db.prisma.notification.findMany({ where: { userId: user.id } });

describe('public feed', () => {
  it('is readable and writable by every signed-in person, newest first, with author and counts', async () => {
    const first = await post(lea, '/api/v1/feed', 'Hello **everyone**');
    expect(first.statusCode).toBe(201);
    expect(first.headers.location).toBe(`/api/v1/posts/${first.json().id}`);
    expect(first.json()).toMatchObject({ scope: 'public', commentCount: 0, likeCount: 0, author: { id: lea.id } });
    expect(first.json().html).toContain('<strong>everyone</strong>');
    await post(mila, '/api/v1/feed', 'Second');
    const feed = await t.as(outsider, { method: 'GET', url: '/api/v1/feed' });
    expect(feed.statusCode).toBe(200);
    expect(feed.json().items.map((p: { body: string }) => p.body).slice(0, 2)).toEqual(['Second', 'Hello **everyone**']);
    problem(await t.app.inject({ method: 'GET', url: '/api/v1/feed' }), 401);
  });

  it('renders Markdown to inert HTML whatever the payload', async () => {
    const payloads = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[click](javascript:alert(1))',
      '<a href="javascript:alert(1)">x</a>',
      '<svg onload=alert(1)>',
      '<iframe src="https://evil.example"></iframe>',
      '"><script>alert(1)</script>',
    ];
    for (const body of payloads) {
      const html: string = (await post(lea, '/api/v1/feed', body)).json().html;
      expect(html).not.toMatch(/<script|onerror=|onload=|javascript:|<iframe|<svg|<img/i);
    }
  });
});

describe('group spaces', () => {
  it('are visible to members, observers and admins of the group or an ancestor, and workspace admins; 404 to others', async () => {
    const created = await post(lea, `/api/v1/groups/${paris.id}/posts`, 'Paris only');
    expect(created.statusCode).toBe(201);
    for (const who of [lea, hugo, fr, top, gadmin, admin]) {
      const list = await t.as(who, { method: 'GET', url: `/api/v1/groups/${paris.id}/posts` });
      expect(list.statusCode, `user ${who.email}`).toBe(200);
      expect(list.json().items.map((p: { id: string }) => p.id)).toContain(created.json().id);
    }
    for (const who of [mila, outsider, trainer, ref]) {
      expect(problem(await t.as(who, { method: 'GET', url: `/api/v1/groups/${paris.id}/posts` }), 404).code).toBe('group_not_found');
      problem(await t.as(who, { method: 'GET', url: `/api/v1/posts/${created.json().id}` }), 404);
      problem(await t.as(who, { method: 'POST', url: `/api/v1/posts/${created.json().id}/comments`, payload: { body: 'hi' } }), 404);
      problem(await post(who, `/api/v1/groups/${paris.id}/posts`, 'intrusion'), 404);
    }
    // Never in the public feed either.
    const feed = await t.as(outsider, { method: 'GET', url: '/api/v1/feed?limit=100' });
    expect(feed.json().items.map((p: { id: string }) => p.id)).not.toContain(created.json().id);
  });

  it('notifies the observers of the group and of its ancestors, once each, never the author', async () => {
    // fr observes France, top observes Acme; make top also observe Paris directly: still one notification.
    await t.member(paris.id, top.id, 'observer');
    const before = await Promise.all([fr, top, hugo, lea, mila].map(notificationsOf));
    const created = await post(lea, `/api/v1/groups/${paris.id}/posts`, 'Question for the team');
    const after = await Promise.all([fr, top, hugo, lea, mila].map(notificationsOf));
    const delta = after.map((list, i) => list.length - before[i]!.length);
    expect(delta).toEqual([1, 1, 0, 0, 0]);
    const note = (await notificationsOf(fr)).find((n) => n.postId === created.json().id);
    expect(note).toMatchObject({ type: 'group_post', actorId: lea.id, groupId: paris.id });
    await t.db.prisma.membership.deleteMany({ where: { groupId: paris.id, userId: top.id } });
  });

  it('lists notifications with the unread count and marks them read', async () => {
    const list = await t.as(fr, { method: 'GET', url: '/api/v1/me/notifications' });
    expect(list.statusCode).toBe(200);
    const { items, unreadCount } = list.json();
    expect(unreadCount).toBeGreaterThan(0);
    expect(items[0]).toMatchObject({ type: 'group_post', actor: { id: lea.id }, group: { id: paris.id, name: 'Paris' } });
    const read = await t.as(fr, { method: 'POST', url: '/api/v1/me/notifications/read', payload: { ids: [items[0].id] } });
    expect(read.json()).toEqual({ updated: 1, unreadCount: unreadCount - 1 });
    const all = await t.as(fr, { method: 'POST', url: '/api/v1/me/notifications/read', payload: { all: true } });
    expect(all.json().unreadCount).toBe(0);
    problem(await t.as(fr, { method: 'POST', url: '/api/v1/me/notifications/read', payload: {} }), 400);
  });

  it('lets the author edit and delete, group admins moderate, and others not', async () => {
    const created = (await post(hugo, `/api/v1/groups/${paris.id}/posts`, 'Typo here')).json();
    problem(await t.as(lea, { method: 'PATCH', url: `/api/v1/posts/${created.id}`, payload: { body: 'hacked' } }), 403);
    const edited = await t.as(hugo, { method: 'PATCH', url: `/api/v1/posts/${created.id}`, payload: { body: 'Fixed' } });
    expect(edited.json()).toMatchObject({ body: 'Fixed' });
    expect(edited.json().editedAt).not.toBeNull();
    problem(await t.as(lea, { method: 'DELETE', url: `/api/v1/posts/${created.id}` }), 403);
    problem(await t.as(fr, { method: 'DELETE', url: `/api/v1/posts/${created.id}` }), 403);
    expect((await t.as(gadmin, { method: 'DELETE', url: `/api/v1/posts/${created.id}` })).statusCode).toBe(204);
    problem(await t.as(hugo, { method: 'GET', url: `/api/v1/posts/${created.id}` }), 404);
    expect(await t.db.prisma.notification.count({ where: { postId: created.id } })).toBe(0);
  });
});

describe('comments and likes', () => {
  it('answers a post with one level of comments, counted, and notifies the post’s author', async () => {
    const root = (await post(lea, `/api/v1/groups/${paris.id}/posts`, 'Root')).json();
    const comment = await post(hugo, `/api/v1/posts/${root.id}/comments`, 'Reply');
    expect(comment.statusCode).toBe(201);
    expect(comment.json()).toMatchObject({ parentId: root.id, scope: 'group', groupId: paris.id });
    const again = await t.as(lea, { method: 'GET', url: `/api/v1/posts/${root.id}` });
    expect(again.json().commentCount).toBe(1);
    const replies = await t.as(fr, { method: 'GET', url: `/api/v1/posts/${root.id}/comments` });
    expect(replies.json().items).toHaveLength(1);
    problem(await post(lea, `/api/v1/posts/${comment.json().id}/comments`, 'nested'), 422);
    const leaNotes = await notificationsOf(lea);
    expect(leaNotes.filter((n) => n.postId === comment.json().id).map((n) => n.type)).toEqual(['comment_reply']);
    // Observers hear about the comment too, once.
    expect((await notificationsOf(fr)).filter((n) => n.postId === comment.json().id)).toHaveLength(1);
  });

  it('counts likes once per person', async () => {
    const root = (await post(lea, '/api/v1/feed', 'Like me')).json();
    for (let i = 0; i < 2; i++) await t.as(hugo, { method: 'PUT', url: `/api/v1/posts/${root.id}/like` });
    const liked = await t.as(mila, { method: 'PUT', url: `/api/v1/posts/${root.id}/like` });
    expect(liked.json()).toMatchObject({ likeCount: 2, likedByMe: true });
    const unliked = await t.as(hugo, { method: 'DELETE', url: `/api/v1/posts/${root.id}/like` });
    expect(unliked.json()).toMatchObject({ likeCount: 1, likedByMe: false });
  });
});

describe('program comments', () => {
  it('are visible to enrolled learners, the referent, observers of its groups and admins; 404 to others', async () => {
    const created = await post(lea, `/api/v1/programs/${program.id}/comments`, 'How do I do step 2?');
    expect(created.statusCode).toBe(201);
    for (const who of [lea, hugo, ref, fr, top, admin]) {
      const list = await t.as(who, { method: 'GET', url: `/api/v1/programs/${program.id}/comments` });
      expect(list.statusCode, who.email).toBe(200);
      expect(list.json().items.map((p: { id: string }) => p.id)).toContain(created.json().id);
    }
    for (const who of [mila, outsider, trainer]) {
      problem(await t.as(who, { method: 'GET', url: `/api/v1/programs/${program.id}/comments` }), 404);
      problem(await t.as(who, { method: 'GET', url: `/api/v1/posts/${created.json().id}` }), 404);
    }
  });

  it('notifies the referent and the observers of the assigned groups the learner belongs to, once each', async () => {
    // Assign the program to Acme too: top (Acme observer) and fr (France observer) both cover lea; still once each.
    await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${acme.id}` });
    const watchers = [ref, fr, top, gadmin, hugo, mila, lea];
    const before = await Promise.all(watchers.map(notificationsOf));
    const created = (await post(lea, `/api/v1/programs/${program.id}/comments`, 'Done with step 1')).json();
    const after = await Promise.all(watchers.map(notificationsOf));
    expect(after.map((l, i) => l.length - before[i]!.length)).toEqual([1, 1, 1, 0, 0, 0, 0]);
    expect((await notificationsOf(ref)).find((n) => n.postId === created.id)?.type).toBe('program_comment');
    // Mila (Belgium, enrolled through Acme) comments: Belgium has no observer; top (Acme) and the referent hear.
    const before2 = await Promise.all([ref, fr, top].map(notificationsOf));
    await post(mila, `/api/v1/programs/${program.id}/comments`, 'Hello from Brussels');
    const after2 = await Promise.all([ref, fr, top].map(notificationsOf));
    expect(after2.map((l, i) => l.length - before2[i]!.length)).toEqual([1, 0, 1]);
  });

  it('queues e-mail for immediate recipients only, in the same transaction', async () => {
    await t.db.prisma.user.update({ where: { id: fr.id }, data: { notifyEmail: 'digest' } });
    await t.db.prisma.user.update({ where: { id: top.id }, data: { notifyEmail: 'never' } });
    await t.db.prisma.user.update({ where: { id: gadmin.id }, data: { notifyEmail: 'immediately' } });
    await t.member(paris.id, gadmin.id, 'observer');
    await post(hugo, `/api/v1/groups/${paris.id}/posts`, 'Mail check');
    const mails = await t.db.prisma.mailMessage.findMany({ where: { text: { contains: 'Mail check' } } });
    expect(mails.map((m) => m.to)).toEqual([gadmin.email]);
    expect(mails[0]!.subject).toContain('posted in Paris');
    expect(mails[0]!.html).toContain('Mail check');
    // Each mail has its delivery job, written in the same transaction.
    const jobs = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send' AND data->>'mailId' = $1`, [mails[0]!.id]);
    expect(jobs[0]!.n).toBe(1);
    // fr chose the digest: the notification waits, unmailed.
    const frNote = await t.db.prisma.notification.findFirst({ where: { userId: fr.id }, orderBy: { createdAt: 'desc' } });
    expect(frNote?.mailedAt).toBeNull();
    await t.db.prisma.membership.deleteMany({ where: { groupId: paris.id, userId: gadmin.id, role: 'observer' } });
  });
});

describe('pagination', () => {
  it('gives a group space newest first, then by id, ties included', async () => {
    const g = await t.group('Order');
    await t.member(g.id, lea.id, 'learner');
    // Three instants for 30 posts: most of the order rests on the ids.
    await t.db.query(
      `INSERT INTO posts (author_id, scope, group_id, body, body_html, created_at)
       SELECT $1, 'group', $2, 'o' || i, '<p>o</p>', timestamptz '2026-01-01T00:00:00Z' + (i % 3) * interval '1 minute'
       FROM generate_series(1, 30) i`,
      [lea.id, g.id],
    );
    const items: { id: string; createdAt: string }[] = [];
    let url = `/api/v1/groups/${g.id}/posts?limit=7`;
    for (;;) {
      const res = await t.as(lea, { method: 'GET', url });
      items.push(...res.json().items);
      if (!res.json().nextCursor) break;
      url = `/api/v1/groups/${g.id}/posts?limit=7&cursor=${res.json().nextCursor}`;
    }
    const expected = [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || (a.id < b.id ? 1 : -1));
    expect(items).toHaveLength(30);
    expect(items.map((p) => p.id)).toEqual(expected.map((p) => p.id));
  });

  it('stays stable when posts are inserted between pages', async () => {
    const g = await t.group('Pagination');
    await t.member(g.id, lea.id, 'learner');
    for (let i = 0; i < 7; i++) await post(lea, `/api/v1/groups/${g.id}/posts`, `p${i}`);
    const seen: string[] = [];
    let url = `/api/v1/groups/${g.id}/posts?limit=3`;
    for (let pageNo = 0; pageNo < 5; pageNo++) {
      const res = await t.as(lea, { method: 'GET', url });
      seen.push(...res.json().items.map((p: { body: string }) => p.body));
      await post(lea, `/api/v1/groups/${g.id}/posts`, `new${pageNo}`);
      if (!res.json().nextCursor) break;
      expect(res.headers.link).toContain('rel="next"');
      url = `/api/v1/groups/${g.id}/posts?limit=3&cursor=${res.json().nextCursor}`;
    }
    // Every original post exactly once, in the order the API itself gives them, whatever was inserted meanwhile.
    const all = await t.as(lea, { method: 'GET', url: `/api/v1/groups/${g.id}/posts?limit=100` });
    const order = all.json().items.map((p: { body: string }) => p.body).filter((b: string) => b.startsWith('p'));
    expect(seen).toEqual(order);
    expect([...seen].sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    problem(await t.as(lea, { method: 'GET', url: `/api/v1/groups/${g.id}/posts?cursor=garbage` }), 400);
  });
});
