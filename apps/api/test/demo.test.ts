import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { seedDemo } from '../src/db/seed.ts';
import { createTestContext, signInDemo, type TestContext, type TestUser } from './helpers.ts';

/** The demo workspace `pnpm start` seeds on the embedded database, read through the API as its people see it. */
let t: TestContext;
let logins: Awaited<ReturnType<typeof seedDemo>>;

beforeAll(async () => {
  t = await createTestContext();
  logins = await seedDemo(t.db);
}, 60_000);
afterAll(async () => t?.close());

const signIn = (local: string): Promise<TestUser> => signInDemo(t, local);

const bodies = (res: { json(): { items: { body: string }[] } }) => res.json().items.map((p) => p.body);

describe('demo workspace', () => {
  it('seeds once, and every listed login signs in with the demo password', async () => {
    expect(logins?.map((l) => l.email)).toContain('learner1@demo.covey.test');
    for (const login of logins!) await signIn(login.email.split('@')[0]!);
    expect(await seedDemo(t.db)).toBeNull();
  });

  it('opens on a conversation: the public feed with likes and comments, newest first', async () => {
    const learner = await signIn('learner1');
    const feed = await t.as(learner, { method: 'GET', url: '/api/v1/feed' });
    expect(feed.statusCode).toBe(200);
    const [news, welcome] = feed.json().items;
    expect(news.body).toMatch(/^New this month/);
    expect(welcome).toMatchObject({ commentCount: 2, likeCount: 4, likedByMe: true });
    expect(welcome.html).toContain('<strong>Acme Learning</strong>');
    const comments = await t.as(learner, { method: 'GET', url: `/api/v1/posts/${welcome.id}/comments` });
    expect(bodies(comments)).toEqual(['Bonjour from the Belgian team 👋', 'Happy to be here!']);
  });

  it('keeps each group space to its members and observers', async () => {
    const groups = await t.db.query<{ id: string; name: string }>(`SELECT id::text, name FROM groups WHERE name IN ('Paris', 'Belgium')`);
    const paris = groups.find((g) => g.name === 'Paris')!.id;
    const space = (who: TestUser) => t.as(who, { method: 'GET', url: `/api/v1/groups/${paris}/posts` });
    const member = await space(await signIn('learner1'));
    expect(bodies(member)).toEqual(['Anyone up for a practice discovery call on Thursday?']);
    expect(member.json().items[0]).toMatchObject({ commentCount: 1, likeCount: 1 });
    expect(bodies(await space(await signIn('observer1')))).toHaveLength(1); // observes France, above Paris
    expect((await space(await signIn('learner2'))).statusCode).toBe(404); // Lyon
  });

  it('gives the seeded completions their certificates, as a live completion would, when the app starts', async () => {
    const completed = await t.db.prisma.enrollment.findMany({ where: { status: 'completed' }, select: { userId: true, programId: true } });
    expect(completed.length).toBeGreaterThanOrEqual(4); // learner1 to learner4 finished the onboarding
    // `pnpm start` seeds, then starts the app with its workers: that start queues and generates what is missing.
    const started = await buildApp({ env: t.env, db: t.db, jobs: true });
    try {
      await started.ready();
      await expect
        .poll(() => t.db.prisma.document.count({ where: { kind: 'certificate' } }), { timeout: 30_000, interval: 500 })
        .toBe(completed.length);
    } finally {
      await started.close();
    }
    const learner = await signIn('learner1');
    const documents = await t.as(learner, { method: 'GET', url: '/api/v1/me/documents' });
    expect(documents.json().items).toEqual([
      expect.objectContaining({ kind: 'certificate', title: 'Certificate: Welcome to Acme', contentType: 'application/pdf' }),
    ]);
    const pdf = await t.as(learner, { method: 'GET', url: documents.json().items[0].url });
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);
});
