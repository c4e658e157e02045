import { hashPassword } from '../lib/passwords.ts';
import { learnersOfSubtree, reconcileEnrollments } from '../modules/enrollments/enrollment-engine.ts';
import { recomputeProgress } from '../modules/enrollments/progress.ts';
import { renderMarkdown } from '../modules/posts/markdown.ts';
import type { Database } from './database.ts';

export const DEMO_PASSWORD = 'covey-demo-1';
export const DEMO_DOMAIN = 'demo.covey.test';

export type DemoLogin = { role: string; email: string };

/**
 * A small demo workspace: an owner, an admin, a trainer, observers, 30 learners, a group tree, programs with
 * steps and some progress, and a first conversation (the public feed, group spaces, a program's comments). Runs
 * once: it does nothing if the workspace already has users.
 */
export async function seedDemo(db: Database): Promise<DemoLogin[] | null> {
  const prisma = db.prisma;
  if ((await prisma.user.count()) > 0) return null;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const email = (local: string) => `${local}@${DEMO_DOMAIN}`;

  const names = [
    ['Léa', 'Martin', 'FR'], ['Hugo', 'Bernard', 'FR'], ['Chloé', 'Dubois', 'FR'], ['Louis', 'Thomas', 'FR'],
    ['Emma', 'Robert', 'FR'], ['Gabriel', 'Richard', 'FR'], ['Jade', 'Petit', 'FR'], ['Arthur', 'Durand', 'FR'],
    ['Alice', 'Leroy', 'FR'], ['Jules', 'Moreau', 'FR'], ['Lina', 'Simon', 'FR'], ['Adam', 'Laurent', 'FR'],
    ['Rose', 'Lefebvre', 'FR'], ['Noah', 'Michel', 'FR'], ['Anna', 'Garcia', 'FR'], ['Liam', 'David', 'FR'],
    ['Mila', 'Bertrand', 'BE'], ['Lucas', 'Roux', 'BE'], ['Julia', 'Vincent', 'BE'], ['Victor', 'Fournier', 'BE'],
    ['Inès', 'Morel', 'BE'], ['Nathan', 'Girard', 'BE'], ['Sarah', 'André', 'BE'], ['Tom', 'Mercier', 'BE'],
    ['Zoé', 'Blanc', 'BE'], ['Ethan', 'Guerin', 'FR'], ['Lou', 'Boyer', 'FR'], ['Paul', 'Garnier', 'FR'],
    ['Eva', 'Chevalier', 'FR'], ['Sacha', 'Francois', 'FR'],
  ] as const;

  const staff = [
    { email: email('owner'), firstName: 'Olivia', lastName: 'Owner', role: 'owner' as const },
    { email: email('admin'), firstName: 'Adrien', lastName: 'Admin', role: 'admin' as const },
    { email: email('trainer'), firstName: 'Théo', lastName: 'Trainer', role: 'trainer' as const },
    { email: email('observer1'), firstName: 'Manon', lastName: 'Manager', role: 'learner' as const, department: 'Sales' },
    { email: email('observer2'), firstName: 'Benoît', lastName: 'Lead', role: 'learner' as const, department: 'Sales' },
  ];
  const signedIn = (at: Date) => ({ lastLoginAt: at, lastActivityAt: at });
  await prisma.user.createMany({
    data: [
      ...staff.map((s) => ({ ...s, passwordHash })),
      ...names.map(([firstName, lastName, country], i) => ({
        email: email(`learner${i + 1}`),
        firstName,
        lastName,
        country,
        department: i % 3 === 0 ? 'Marketing' : 'Sales',
        passwordHash,
        // Signing in is activity: the last activity is the last sign-in here (the figures all read activity).
        ...(i % 4 === 3 ? {} : signedIn(new Date(Date.now() - (i % 20) * 86_400_000))),
      })),
    ],
  });
  const users = new Map((await prisma.user.findMany({ select: { id: true, email: true } })).map((u) => [u.email, u.id]));
  const id = (local: string) => users.get(email(local))!;

  const group = (name: string, parentId: string | null, extra: Record<string, unknown> = {}) =>
    prisma.group.create({ data: { name, parentId, ...extra } });
  const acme = await group('Acme', null, {
    description: 'Everyone at Acme',
    welcomeMessage: 'Welcome to the Acme learning space!',
    colors: { primary: '#1f4e79', accent: '#f2a900' },
  });
  const france = await group('France', acme.id, { description: 'The French teams', colors: { primary: '#002395' } });
  const paris = await group('Paris', france.id, { description: 'Paris office' });
  const lyon = await group('Lyon', france.id, { description: 'Lyon office' });
  const belgium = await group('Belgium', acme.id, { description: 'The Belgian team', colors: { primary: '#c8102e' } });
  const managers = await group('Managers', null, { description: 'People managers' });

  const memberships: { userId: string; groupId: string; role: 'learner' | 'observer' | 'admin' }[] = [];
  names.forEach(([, , country], i) => {
    const userId = id(`learner${i + 1}`);
    memberships.push({ userId, groupId: country === 'BE' ? belgium.id : i % 2 === 0 ? paris.id : lyon.id, role: 'learner' });
  });
  memberships.push(
    { userId: id('observer1'), groupId: france.id, role: 'observer' },
    { userId: id('observer2'), groupId: belgium.id, role: 'observer' },
    { userId: id('observer2'), groupId: belgium.id, role: 'admin' },
    { userId: id('observer1'), groupId: managers.id, role: 'learner' },
    { userId: id('observer2'), groupId: managers.id, role: 'learner' },
    { userId: id('trainer'), groupId: acme.id, role: 'observer' },
  );
  await prisma.membership.createMany({ data: memberships });

  const program = (title: string, description: string, status: 'draft' | 'published', steps: string[]) =>
    prisma.program.create({
      data: {
        title,
        description,
        status,
        referentId: id('trainer'),
        createdById: id('trainer'),
        startsAt: new Date(Date.now() - 14 * 86_400_000),
        endsAt: new Date(Date.now() + 60 * 86_400_000),
        steps: { create: steps.map((t, position) => ({ position, title: t, content: `## ${t}\n\nRead, watch, then try it.` })) },
      },
    });
  const onboarding = await program('Welcome to Acme', 'Onboarding for every newcomer.', 'published', [
    'Our mission', 'How we work', 'Tools you will use', 'Meet your team',
  ]);
  const sales = await program('Selling in France', 'Sales fundamentals for the French market.', 'published', [
    'Know your customer', 'Discovery calls', 'Handling objections', 'Closing', 'Follow-up',
  ]);
  const leadership = await program('First-time manager', 'For new people managers.', 'published', [
    'Your new role', 'One-on-ones', 'Feedback',
  ]);
  await program('Negotiation (draft)', 'Coming soon.', 'draft', ['Preparation', 'At the table']);

  await prisma.programAssignment.createMany({
    data: [
      { programId: onboarding.id, groupId: acme.id, assignedById: id('admin') },
      { programId: sales.id, groupId: france.id, assignedById: id('trainer') },
      { programId: leadership.id, groupId: managers.id, assignedById: id('admin') },
    ],
  });
  await reconcileEnrollments(prisma, { users: learnersOfSubtree(acme.id) });
  await reconcileEnrollments(prisma, { users: learnersOfSubtree(managers.id) });

  // Some progress: the first learners are ahead, a few completed the onboarding.
  const steps = await prisma.programStep.findMany({ where: { programId: { in: [onboarding.id, sales.id] } } });
  const completions: { userId: string; stepId: string }[] = [];
  names.forEach((_, i) => {
    const userId = id(`learner${i + 1}`);
    const done = i < 4 ? 4 : i < 12 ? 2 : i < 16 ? 1 : 0;
    for (const step of steps.filter((s) => s.programId === onboarding.id && s.position < done)) completions.push({ userId, stepId: step.id });
    if (i < 6) for (const step of steps.filter((s) => s.programId === sales.id && s.position < 2)) completions.push({ userId, stepId: step.id });
  });
  await prisma.stepCompletion.createMany({ data: completions });
  // Activity history behind the weekly charts: the day of each learner's last activity (as a live sign-in writes it),
  // and some earlier weeks too.
  await prisma.$executeRaw`
    INSERT INTO activity_days (user_id, day)
    SELECT u.id, ((u.last_activity_at AT TIME ZONE 'UTC') - w * interval '7 days')::date
    FROM users u, generate_series(0, 10) AS w
    WHERE u.last_activity_at IS NOT NULL AND (w = 0 OR abs(hashtext(u.id::text || w)) % 3 <> 0)
    ON CONFLICT DO NOTHING`;
  await recomputeProgress(prisma, onboarding.id);
  await recomputeProgress(prisma, sales.id);

  // A first conversation, over the last days: the public feed, two group spaces and a program's comments.
  type Place = { scope: 'public' } | { scope: 'group'; groupId: string } | { scope: 'program'; programId: string };
  const post = async (author: string, place: Place, body: string, hoursAgo: number, likedBy: string[] = [], parentId?: string) => {
    const created = await prisma.post.create({
      data: {
        authorId: id(author),
        ...place,
        parentId,
        body,
        bodyHtml: renderMarkdown(body),
        createdAt: new Date(Date.now() - hoursAgo * 3_600_000),
        reactions: { create: likedBy.map((who) => ({ userId: id(who) })) },
      },
    });
    return created.id;
  };
  const reply = (postId: string, place: Place, author: string, body: string, hoursAgo: number) => post(author, place, body, hoursAgo, [], postId);
  const feed = { scope: 'public' } as const;
  const welcome = await post('admin', feed, 'Welcome to **Acme Learning**! Share what you learn here. Your group spaces are private to their members.', 72, ['learner1', 'learner2', 'learner17', 'trainer']);
  await reply(welcome, feed, 'learner1', 'Happy to be here!', 70);
  await reply(welcome, feed, 'learner17', 'Bonjour from the Belgian team 👋', 66);
  await post('trainer', feed, 'New this month: *Selling in France* is open for the French teams. Start with **Know your customer**.', 26, ['learner3', 'observer1']);
  const parisSpace = { scope: 'group', groupId: paris.id } as const;
  const practice = await post('learner1', parisSpace, 'Anyone up for a practice discovery call on Thursday?', 30, ['learner3']);
  await reply(practice, parisSpace, 'learner3', 'Count me in. 10:00 in the small meeting room?', 28);
  await post('observer2', { scope: 'group', groupId: belgium.id }, 'Welcome to the Belgian team space. Questions about the onboarding go here.', 50, ['learner18']);
  await post('learner2', { scope: 'program', programId: onboarding.id }, 'The *How we work* step answered most of my first-week questions.', 20, ['trainer']);
  await prisma.$executeRaw`
    UPDATE posts p SET
      comment_count = (SELECT count(*) FROM posts c WHERE c.parent_id = p.id AND c.deleted_at IS NULL),
      like_count = (SELECT count(*) FROM reactions r WHERE r.post_id = p.id)`;

  return [
    { role: 'owner', email: email('owner') },
    { role: 'admin', email: email('admin') },
    { role: 'trainer', email: email('trainer') },
    { role: 'observer (France)', email: email('observer1') },
    { role: 'observer + group admin (Belgium)', email: email('observer2') },
    { role: 'learner (Paris)', email: email('learner1') },
  ];
}
