import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

/**
 * `GET /groups?manageable=true`: the groups a person may administer, decided by the API at any size (the web app's
 * group editor and parent pickers read it), and `canManage` / `canDelete` on every group.
 */
let t: TestContext;
let admin: TestUser;
let groupAdmin: TestUser;
let learner: TestUser;
let observer: TestUser;
/**
 * The group admin's subtree: Zz Region > Zz Branch > 110 Zz Store NNN; Zz Store 000 > a chain six deep ending in
 * Aaa Deep. They also observe Mm Elsewhere and its 150 children (Aaa Observed NNN), which sort first: the first page
 * of the groups they see holds none of the groups they manage but Aaa Deep.
 */
const subtree = new Set<string>();
let region = '';
let branch = '';
let deep = '';
let elsewhere = '';
const STORES = 110;

type Item = { id: string; name: string; canManage: boolean; canDelete: boolean };
type Page = { items: Item[]; nextCursor: string | null };

/** Every page of a list, following `nextCursor`. */
async function all(user: TestUser, query: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const res = await t.as(user, { method: 'GET', url: `/api/v1/groups?${query}${cursor ? `&cursor=${cursor}` : ''}` });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<Page>();
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
const idsOf = (items: Item[]) => new Set(items.map((g) => g.id));
const numbered = (prefix: string, count: number, parentId: string | null) =>
  Array.from({ length: count }, (_, i) => ({ name: `${prefix} ${String(i).padStart(3, '0')}`, parentId }));

beforeAll(async () => {
  t = await createTestContext();
  const prisma = t.db.prisma;
  [admin, groupAdmin, learner, observer] = [
    await t.user('admin'),
    await t.user('learner'),
    await t.user('learner'),
    await t.user('learner'),
  ];
  // Groups nobody here belongs to.
  await prisma.group.createMany({ data: numbered('Unrelated', 30, null) });
  elsewhere = (await t.group('Mm Elsewhere')).id;
  await prisma.group.createMany({ data: numbered('Aaa Observed', 150, elsewhere) });

  region = (await t.group('Zz Region')).id;
  branch = (await t.group('Zz Branch', region)).id;
  await prisma.group.createMany({ data: numbered('Zz Store', STORES, branch) });
  const stores = await prisma.group.findMany({
    where: { parentId: branch },
    select: { id: true },
    orderBy: { name: 'asc' },
  });
  for (const id of [region, branch, ...stores.map((s) => s.id)]) subtree.add(id);
  let parent = stores[0]!.id;
  for (let depth = 1; depth <= 6; depth++) {
    parent = (await t.group(depth === 6 ? 'Aaa Deep' : `Zz Level ${depth}`, parent)).id;
    subtree.add(parent);
  }
  deep = parent;

  await t.member(region, groupAdmin.id, 'admin');
  await t.member(branch, groupAdmin.id, 'learner');
  await t.member(elsewhere, groupAdmin.id, 'learner', 'observer');
  await t.member(region, learner.id, 'learner');
  await t.member(deep, learner.id, 'learner');
  await t.member(region, observer.id, 'observer');
}, 60_000);
afterAll(async () => t?.close());

describe('GET /groups?manageable=true', () => {
  it('gives a group admin exactly their subtree, past the first 100 groups and down to the deepest', async () => {
    // What the web app read before: the first page of the groups they see holds almost none of theirs.
    const firstPage = idsOf(
      (await t.as(groupAdmin, { method: 'GET', url: '/api/v1/groups?limit=100' })).json<Page>().items,
    );
    expect([...subtree].filter((id) => firstPage.has(id))).toEqual([deep]);
    expect(subtree.size).toBe(2 + STORES + 6);

    const manageable = await all(groupAdmin, 'manageable=true&limit=100');
    expect(manageable.length).toBe(subtree.size);
    expect(idsOf(manageable)).toEqual(subtree);
    expect(manageable.every((g) => g.canManage)).toBe(true);
    // The same through small pages (the cursor keeps the filter) and in the `1` spelling.
    const paged = await all(groupAdmin, 'manageable=1&limit=7');
    expect(paged.map((g) => g.id)).toEqual(manageable.map((g) => g.id));
  });

  it('gives nothing to a learner, an observer, or a client without groups:write', async () => {
    expect(await all(learner, 'manageable=true')).toEqual([]);
    expect(await all(observer, 'manageable=true')).toEqual([]);
    // They still see their groups without the filter: it narrows, it does not refuse.
    expect(idsOf(await all(learner, 'limit=100'))).toEqual(new Set([region, deep]));
    const reader = await t.db.prisma.integrationClient.create({
      data: { name: 'Reader', clientId: 'reader-client', secretHash: 'x', scopes: ['groups:read'] },
    });
    const token = t.app.jwt.sign({ typ: 'client', sub: reader.id, cid: reader.clientId, scope: 'groups:read' });
    const client = { id: reader.id, email: '', role: 'learner' as const, token };
    expect(await all(client, 'manageable=true')).toEqual([]);
    expect((await all(client, 'limit=100')).length).toBe(await t.db.prisma.group.count());
  });

  it('gives workspace admins every group', async () => {
    expect((await all(admin, 'manageable=true&limit=100')).length).toBe(await t.db.prisma.group.count());
  });

  it('combines with q, parentId and outside', async () => {
    expect((await all(groupAdmin, 'manageable=true&q=deep')).map((g) => g.id)).toEqual([deep]);
    // `q` over groups they see (observed ones) but do not manage: none.
    expect(await all(groupAdmin, 'manageable=true&q=Observed')).toEqual([]);
    expect((await all(groupAdmin, 'q=Observed&limit=100')).length).toBe(150);
    expect((await all(groupAdmin, `manageable=true&parentId=${branch}&limit=100`)).length).toBe(STORES);
    expect((await all(groupAdmin, 'manageable=true&q=Store 10')).map((g) => g.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Zz Store 10${i}`),
    );
    expect((await all(groupAdmin, 'manageable=true&parentId=root')).map((g) => g.id)).toEqual([region]);
    expect(await all(groupAdmin, `manageable=true&parentId=${elsewhere}`)).toEqual([]);
    // Where the branch could move: not into itself or anything below it.
    const targets = idsOf(await all(groupAdmin, `manageable=true&outside=${branch}`));
    expect(targets).toEqual(new Set([region]));
    const adminTargets = idsOf(await all(admin, `manageable=true&limit=100&outside=${region}`));
    expect([...subtree].some((id) => adminTargets.has(id))).toBe(false);
    expect(adminTargets.has(elsewhere)).toBe(true);
  });

  it('answers 422 for an `outside` group the caller does not see, and 400 for a malformed one', async () => {
    const hidden = await t.as(learner, { method: 'GET', url: `/api/v1/groups?outside=${elsewhere}` });
    expect(problem(hidden, 422).code).toBe('invalid_reference');
    problem(await t.as(learner, { method: 'GET', url: '/api/v1/groups?outside=nope' }), 400);
    problem(await t.as(learner, { method: 'GET', url: '/api/v1/groups?manageable=maybe' }), 400);
  });
});

describe('canManage and canDelete', () => {
  it('say what the caller may do with each group, as the policy decides', async () => {
    const byId = new Map((await all(groupAdmin, 'limit=100')).map((g) => [g.id, g]));
    // Their own group: manage it, not delete it (that takes an admin above it).
    expect(byId.get(region)).toMatchObject({ canManage: true, canDelete: false });
    expect(byId.get(deep)).toMatchObject({ canManage: true, canDelete: true });
    // Observed, not administered.
    expect(byId.get(elsewhere)).toMatchObject({ canManage: false, canDelete: false });
    const one = await t.as(groupAdmin, { method: 'GET', url: `/api/v1/groups/${branch}` });
    expect(one.json()).toMatchObject({ canManage: true, canDelete: true });
    const asLearner = await t.as(learner, { method: 'GET', url: `/api/v1/groups/${deep}` });
    expect(asLearner.json()).toMatchObject({ canManage: false, canDelete: false });
    const asAdmin = await t.as(admin, { method: 'GET', url: `/api/v1/groups/${region}` });
    expect(asAdmin.json()).toMatchObject({ canManage: true, canDelete: true });
  });
});
