import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

type Who =
  | 'owner'
  | 'admin'
  | 'groupAdmin'
  | 'ancestorAdmin'
  | 'observer'
  | 'ancestorObserver'
  | 'learner'
  | 'parentLearner'
  | 'outsider'
  | 'trainer'
  | 'anonymous';

let t: TestContext;
let root: { id: string; name: string };
let team: { id: string; name: string };
let other: { id: string; name: string };
const as: Partial<Record<Who, TestUser | null>> = {};
const caller = (who: Who) => as[who] ?? null;

beforeAll(async () => {
  t = await createTestContext();
  // root > team ; other is an unrelated top-level group.
  root = await t.group('Root');
  team = await t.group('Team', root.id);
  other = await t.group('Other');
  as.owner = await t.user('owner');
  as.admin = await t.user('admin');
  as.trainer = await t.user('trainer');
  as.anonymous = null;
  for (const [who, groupId, role] of [
    ['groupAdmin', () => team.id, 'admin'],
    ['ancestorAdmin', () => root.id, 'admin'],
    ['observer', () => team.id, 'observer'],
    ['ancestorObserver', () => root.id, 'observer'],
    ['learner', () => team.id, 'learner'],
    ['parentLearner', () => root.id, 'learner'],
  ] as const) {
    const u = await t.user('learner');
    await t.member(groupId(), u.id, role);
    as[who] = u;
  }
  as.outsider = await t.user('learner');
  await t.member(other.id, as.outsider.id, 'learner');
});
afterAll(async () => t?.close());

const everyone: Who[] = [
  'owner',
  'admin',
  'groupAdmin',
  'ancestorAdmin',
  'observer',
  'ancestorObserver',
  'learner',
  'parentLearner',
  'outsider',
  'trainer',
  'anonymous',
];
/** The answers when everyone who sees the team may do it: its members and team, its admins and those above. */
const readers = (ok: number): Record<Who, number> => ({
  owner: ok,
  admin: ok,
  groupAdmin: ok,
  ancestorAdmin: ok,
  observer: ok,
  ancestorObserver: ok,
  learner: ok,
  parentLearner: 404,
  outsider: 404,
  trainer: ok,
  anonymous: 401,
});
/** The answers when only those who manage the team may do it: its admins and those above. */
const managers = (ok: number): Record<Who, number> => ({ ...readers(ok), observer: 403, ancestorObserver: 403, learner: 403, trainer: 403 });
const ids = (res: { json(): unknown }) => (res.json() as { items: { id: string }[] }).items.map((g) => g.id).sort();
const groupRow = (id: string) => t.db.prisma.group.findUniqueOrThrow({ where: { id } });

describe('GET /groups/{group}', () => {
  // A member of the parent is not a member of the subgroup.
  const expected = readers(200);
  it.each(everyone)('%s', async (who) => {
    const res = await t.as(caller(who), { method: 'GET', url: `/api/v1/groups/${team.id}` });
    if (expected[who] === 200) {
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: team.id, name: 'Team', parentId: root.id });
    } else {
      const body = problem(res, expected[who]);
      if (expected[who] === 404) expect(body.code).toBe('group_not_found');
    }
  });

  it('shows the caller’s own roles, and an unknown group is the same 404 as a hidden one', async () => {
    expect((await t.as(caller('observer'), { method: 'GET', url: `/api/v1/groups/${team.id}` })).json().myRoles).toEqual(['observer']);
    expect((await t.as(caller('ancestorObserver'), { method: 'GET', url: `/api/v1/groups/${team.id}` })).json().myRoles).toEqual([]);
    const unknown = problem(await t.as(caller('outsider'), { method: 'GET', url: `/api/v1/groups/${randomUUID()}` }), 404);
    const hidden = problem(await t.as(caller('outsider'), { method: 'GET', url: `/api/v1/groups/${team.id}` }), 404);
    expect([unknown.code, unknown.title]).toEqual([hidden.code, hidden.title]);
    problem(await t.as(caller('admin'), { method: 'GET', url: '/api/v1/groups/not-a-ref' }), 404);
  });

  it('accepts ext: references', async () => {
    const ext = `ext-${randomUUID().slice(0, 8)}`;
    const g = await t.group('By ext', null, { externalId: ext });
    const res = await t.as(caller('admin'), { method: 'GET', url: `/api/v1/groups/ext:${ext}` });
    expect(res.json()).toMatchObject({ id: g.id, externalId: ext });
    problem(await t.as(caller('admin'), { method: 'GET', url: '/api/v1/groups/ext:nope' }), 404);
  });
});

describe('GET /groups', () => {
  const expected: Record<Exclude<Who, 'anonymous'>, () => string[]> = {
    owner: () => [root.id, team.id, other.id],
    admin: () => [root.id, team.id, other.id],
    trainer: () => [root.id, team.id, other.id],
    groupAdmin: () => [team.id],
    ancestorAdmin: () => [root.id, team.id],
    observer: () => [team.id],
    ancestorObserver: () => [root.id, team.id],
    learner: () => [team.id],
    parentLearner: () => [root.id],
    outsider: () => [other.id],
  };
  it.each(Object.keys(expected) as Exclude<Who, 'anonymous'>[])('lists exactly what %s may see', async (who) => {
    // Only the three fixture groups: other tests add groups later, so filter to them.
    const res = await t.as(caller(who), { method: 'GET', url: '/api/v1/groups?limit=100' });
    expect(res.statusCode).toBe(200);
    const fixture = new Set([root.id, team.id, other.id]);
    expect(ids(res).filter((id) => fixture.has(id))).toEqual(expected[who]().sort());
    expect(ids(res).every((id) => fixture.has(id)) || ['owner', 'admin', 'trainer'].includes(who)).toBe(true);
  });

  it('answers 401 without a token', async () => {
    problem(await t.as(null, { method: 'GET', url: '/api/v1/groups' }), 401);
  });

  it('walks the tree with parentId and parentId=root', async () => {
    const children = await t.as(caller('admin'), { method: 'GET', url: `/api/v1/groups?parentId=${root.id}` });
    expect(ids(children)).toEqual([team.id]);
    const top = await t.as(caller('admin'), { method: 'GET', url: '/api/v1/groups?parentId=root&limit=100' });
    expect(ids(top)).toContain(root.id);
    expect(ids(top)).toContain(other.id);
    expect(ids(top)).not.toContain(team.id);
    // An observer of the subgroup only: it is not a root for them, and root's children are what they see.
    expect(ids(await t.as(caller('observer'), { method: 'GET', url: '/api/v1/groups?parentId=root' }))).toEqual([]);
    expect(ids(await t.as(caller('observer'), { method: 'GET', url: `/api/v1/groups?parentId=${root.id}` }))).toEqual([team.id]);
    problem(await t.as(caller('admin'), { method: 'GET', url: '/api/v1/groups?parentId=nope' }), 400);
  });

  it('does not list groups to an integration without a groups scope', async () => {
    const client = await t.db.prisma.integrationClient.create({
      data: { name: 'HR', clientId: `c-${randomUUID()}`, secretHash: 'x', scopes: ['users:read'] },
    });
    const token = t.app.jwt.sign({ typ: 'client', sub: client.id, cid: client.clientId, scope: 'users:read' });
    const integration = { id: client.id, email: '', role: 'learner' as const, token };
    const list = await t.as(integration, { method: 'GET', url: '/api/v1/groups' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([]);
    problem(await t.as(integration, { method: 'GET', url: `/api/v1/groups/${team.id}` }), 404);
    const reader = t.app.jwt.sign({ typ: 'client', sub: client.id, cid: client.clientId, scope: 'groups:read' });
    const withScope = await t.as({ ...integration, token: reader }, { method: 'GET', url: '/api/v1/groups?limit=100' });
    expect(ids(withScope)).toEqual(expect.arrayContaining([root.id, team.id, other.id]));
  });

  it('pages with limit and a Link header', async () => {
    const seen: string[] = [];
    let url: string | null = '/api/v1/groups?limit=2';
    while (url) {
      const res = await t.as(caller('admin'), { method: 'GET', url });
      seen.push(...ids(res));
      url = res.json().nextCursor ? /^<([^>]+)>; rel="next"$/.exec(String(res.headers.link))![1]! : null;
    }
    expect(seen.length).toBe(await t.db.prisma.group.count());
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('POST /groups', () => {
  const create = (who: Who, payload: object) => t.as(caller(who), { method: 'POST', url: '/api/v1/groups', payload });

  it('lets owners and admins create top-level groups: 201 + Location', async () => {
    for (const who of ['owner', 'admin'] as const) {
      const res = await create(who, { name: `Top ${who}`, colors: { primary: '#112233' }, welcomeMessage: 'Hi' });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(res.headers.location).toBe(`/api/v1/groups/${body.id}`);
      expect(body).toMatchObject({ name: `Top ${who}`, parentId: null, colors: { primary: '#112233' }, welcomeMessage: 'Hi' });
      expect((await groupRow(body.id)).name).toBe(`Top ${who}`);
    }
  });

  it('refuses everyone else a top-level group', async () => {
    const before = await t.db.prisma.group.count();
    for (const who of ['groupAdmin', 'ancestorAdmin', 'observer', 'learner', 'outsider', 'trainer'] as const) {
      expect(problem(await create(who, { name: 'Nope' }), 403).code, who).toBe('forbidden');
    }
    problem(await create('anonymous', { name: 'Nope' }), 401);
    expect(await t.db.prisma.group.count()).toBe(before);
  });

  it('lets a group admin (or ancestor admin) create a subgroup, not an observer; hidden parents are unknown', async () => {
    for (const who of ['groupAdmin', 'ancestorAdmin'] as const) {
      const res = await create(who, { name: `Sub by ${who}`, parentId: team.id });
      expect(res.statusCode, who).toBe(201);
      expect(res.json().parentId).toBe(team.id);
    }
    const before = await t.db.prisma.group.count();
    problem(await create('observer', { name: 'Nope', parentId: team.id }), 403);
    problem(await create('learner', { name: 'Nope', parentId: team.id }), 403);
    expect(problem(await create('outsider', { name: 'Nope', parentId: team.id }), 422).code).toBe('invalid_reference');
    expect(problem(await create('admin', { name: 'Nope', parentId: randomUUID() }), 422).errors?.[0]?.field).toBe('body.parentId');
    expect(await t.db.prisma.group.count()).toBe(before);
  });

  it('validates the body', async () => {
    const before = await t.db.prisma.group.count();
    for (const [payload, field] of [
      [{}, 'body.name'],
      [{ name: '  ' }, 'body.name'],
      [{ name: 'x'.repeat(201) }, 'body.name'],
      [{ name: 'A', colors: { primary: 'red' } }, 'body.colors.primary'],
      [{ name: 'A', colors: { primary: '#12345' } }, 'body.colors.primary'],
      [{ name: 'A', colors: { text: '#123456' } }, 'body.colors'],
      [{ name: 'A', owner: 'me' }, 'body'],
      [{ name: 'A', parentId: 'not-a-uuid' }, 'body.parentId'],
    ] as const) {
      const body = problem(await create('admin', payload), 400);
      expect(body.errors?.map((e) => e.field), JSON.stringify(payload)).toContain(field);
    }
    expect(await t.db.prisma.group.count()).toBe(before);
  });

  it('refuses a taken externalId with 409', async () => {
    const ext = `dup-${randomUUID().slice(0, 8)}`;
    expect((await create('admin', { name: 'First', externalId: ext })).statusCode).toBe(201);
    const before = await t.db.prisma.group.count();
    expect(problem(await create('admin', { name: 'Second', externalId: ext }), 409).code).toBe('external_id_taken');
    expect(await t.db.prisma.group.count()).toBe(before);
  });
});

describe('PATCH /groups/{group}', () => {
  const expected = managers(200);
  it.each(everyone)('%s', async (who) => {
    const before = await groupRow(team.id);
    const res = await t.as(caller(who), { method: 'PATCH', url: `/api/v1/groups/${team.id}`, payload: { description: `by ${who}` } });
    if (expected[who] === 200) {
      expect(res.statusCode).toBe(200);
      expect(res.json().description).toBe(`by ${who}`);
      expect((await groupRow(team.id)).description).toBe(`by ${who}`);
    } else {
      problem(res, expected[who]);
      expect((await groupRow(team.id)).description).toBe(before.description);
    }
  });

  it('sets the welcome message and colours, and validates colours', async () => {
    const g = await t.group('Brand');
    const url = `/api/v1/groups/${g.id}`;
    const res = await t.as(caller('admin'), { method: 'PATCH', url, payload: { welcomeMessage: 'Welcome!', colors: { primary: '#AABBCC', accent: '#001122' } } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ welcomeMessage: 'Welcome!', colors: { primary: '#AABBCC', accent: '#001122' } });
    for (const colors of [{ primary: '#abc' }, { primary: 'blue' }, { accent: '#GGGGGG' }, { primary: '#aabbccdd' }]) {
      const body = problem(await t.as(caller('admin'), { method: 'PATCH', url, payload: { colors } }), 400);
      expect(body.errors?.[0]?.field).toMatch(/^body\.colors/);
    }
    expect(await groupRow(g.id)).toMatchObject({ welcomeMessage: 'Welcome!', colors: { primary: '#AABBCC', accent: '#001122' } });
    const cleared = await t.as(caller('admin'), { method: 'PATCH', url, payload: { welcomeMessage: null } });
    expect(cleared.json().welcomeMessage).toBeNull();
  });

  it('inherits colours from the nearest ancestor that sets them until the group sets its own; null resets', async () => {
    const admin = caller('admin');
    const top = (await t.as(admin, { method: 'POST', url: '/api/v1/groups', payload: { name: 'Brand top', colors: { primary: '#112233', accent: '#445566' } } })).json();
    const mid = (await t.as(admin, { method: 'POST', url: '/api/v1/groups', payload: { name: 'Brand mid', parentId: top.id } })).json();
    const leaf = (await t.as(admin, { method: 'POST', url: '/api/v1/groups', payload: { name: 'Brand leaf', parentId: mid.id } })).json();
    // Nothing stored for an unset colour: the group keeps following its ancestors.
    expect((await groupRow(leaf.id)).colors).toEqual({});
    expect(leaf.colors).toEqual({});
    expect(leaf.branding).toEqual({
      primary: { value: '#112233', from: { id: top.id, name: 'Brand top' } },
      accent: { value: '#445566', from: { id: top.id, name: 'Brand top' } },
      logoUrl: null,
      backgroundUrl: null,
    });
    expect(top.branding.primary.from.id).toBe(top.id);
    expect(top.inheritedBranding).toEqual({ primary: null, accent: null, logoUrl: null, backgroundUrl: null });

    // The middle group sets its accent: the leaf follows the nearest, the top's colour still shows for the rest.
    const patched = await t.as(admin, { method: 'PATCH', url: `/api/v1/groups/${mid.id}`, payload: { colors: { accent: '#778899' } } });
    expect(patched.json().colors).toEqual({ accent: '#778899' });
    const leafNow = (await t.as(admin, { method: 'GET', url: `/api/v1/groups/${leaf.id}` })).json();
    expect(leafNow.branding.accent).toEqual({ value: '#778899', from: { id: mid.id, name: 'Brand mid' } });
    expect(leafNow.branding.primary.from.id).toBe(top.id);
    // A member of the leaf sees it as it shows, in their own list of groups.
    const member = await t.user('learner');
    await t.member(leaf.id, member.id, 'learner');
    const mine = (await t.as(member, { method: 'GET', url: '/api/v1/me/groups' })).json().items;
    expect(mine).toEqual([expect.objectContaining({ id: leaf.id, colors: { primary: '#112233', accent: '#778899' }, logoUrl: null })]);
    // A change of the top shows below at once (nothing was copied).
    await t.as(admin, { method: 'PATCH', url: `/api/v1/groups/${top.id}`, payload: { colors: { primary: '#000000' } } });
    const listed = (await t.as(admin, { method: 'GET', url: `/api/v1/groups?q=Brand leaf` })).json().items[0];
    expect(listed.branding.primary.value).toBe('#000000');
    expect((await groupRow(top.id)).colors).toEqual({ primary: '#000000', accent: '#445566' });

    // The leaf sets its own, keeps what it inherits in inheritedBranding, then resets to inherited with null.
    const own = (await t.as(admin, { method: 'PATCH', url: `/api/v1/groups/${leaf.id}`, payload: { colors: { primary: '#abcdef' } } })).json();
    expect(own.branding.primary).toEqual({ value: '#abcdef', from: { id: leaf.id, name: 'Brand leaf' } });
    expect(own.inheritedBranding.primary).toEqual({ value: '#000000', from: { id: top.id, name: 'Brand top' } });
    const reset = (await t.as(admin, { method: 'PATCH', url: `/api/v1/groups/${leaf.id}`, payload: { colors: { primary: null } } })).json();
    expect(reset.colors).toEqual({});
    expect(reset.branding.primary.from.id).toBe(top.id);
    expect((await groupRow(leaf.id)).colors).toEqual({});
    problem(await t.as(admin, { method: 'PATCH', url: `/api/v1/groups/${leaf.id}`, payload: { colors: { primary: '' } } }), 400);
  });

  it('refuses a taken externalId with 409 and accepts ext: paths', async () => {
    const ext = `taken-${randomUUID().slice(0, 8)}`;
    await t.group('Holder', null, { externalId: ext });
    const g = await t.group('Renamed', null, { externalId: `${ext}-2` });
    expect(problem(await t.as(caller('admin'), { method: 'PATCH', url: `/api/v1/groups/${g.id}`, payload: { externalId: ext } }), 409).code).toBe(
      'external_id_taken',
    );
    expect((await groupRow(g.id)).externalId).toBe(`${ext}-2`);
    const res = await t.as(caller('admin'), { method: 'PATCH', url: `/api/v1/groups/ext:${ext}-2`, payload: { name: 'Via ext' } });
    expect(res.json()).toMatchObject({ id: g.id, name: 'Via ext' });
  });

  it('refuses cycles with 422 group_cycle and changes nothing', async () => {
    const a = await t.group('A');
    const b = await t.group('B', a.id);
    const c = await t.group('C', b.id);
    for (const target of [a.id, b.id, c.id]) {
      const res = await t.as(caller('admin'), { method: 'PATCH', url: `/api/v1/groups/${a.id}`, payload: { parentId: target, name: 'Moved' } });
      expect(problem(res, 422).code).toBe('group_cycle');
    }
    expect(await groupRow(a.id)).toMatchObject({ parentId: null, name: 'A' });
    // A legal move works, and moving back to the top too.
    expect((await t.as(caller('admin'), { method: 'PATCH', url: `/api/v1/groups/${c.id}`, payload: { parentId: a.id } })).json().parentId).toBe(a.id);
    expect((await t.as(caller('admin'), { method: 'PATCH', url: `/api/v1/groups/${c.id}`, payload: { parentId: null } })).json().parentId).toBeNull();
  });

  it('lets a group admin move a group only between places they administer', async () => {
    const ga = await t.user('learner');
    const top = await t.group('GA top');
    const x = await t.group('X', top.id);
    const y = await t.group('Y', top.id);
    const z = await t.group('Z', x.id);
    await t.member(top.id, ga.id, 'admin');
    expect((await t.as(ga, { method: 'PATCH', url: `/api/v1/groups/${z.id}`, payload: { parentId: y.id } })).json().parentId).toBe(y.id);
    // Out of their subtree (to the top level, or under a group they do not administer).
    problem(await t.as(ga, { method: 'PATCH', url: `/api/v1/groups/${z.id}`, payload: { parentId: null } }), 403);
    expect(problem(await t.as(ga, { method: 'PATCH', url: `/api/v1/groups/${z.id}`, payload: { parentId: other.id } }), 422).code).toBe(
      'invalid_reference',
    );
    expect((await groupRow(z.id)).parentId).toBe(y.id);
  });
});

describe('DELETE /groups/{group}', () => {
  // The leaf is inside their subtree (under team): a group admin deletes what is strictly inside it.
  const expected = managers(204);
  it.each(everyone)('%s', async (who) => {
    // A fresh leaf under team, with the same people covering it as team.
    const leaf = await t.group(`Leaf ${who}`, team.id);
    const user = caller(who);
    // A plain learner sees only groups they belong to: make them a member of the leaf.
    if (user && who === 'learner') await t.member(leaf.id, user.id, 'learner');
    const res = await t.as(user, { method: 'DELETE', url: `/api/v1/groups/${leaf.id}` });
    if (expected[who] === 204) {
      expect(res.statusCode).toBe(204);
      expect(await t.db.prisma.group.findUnique({ where: { id: leaf.id } })).toBeNull();
    } else {
      problem(res, expected[who]);
      expect(await t.db.prisma.group.findUnique({ where: { id: leaf.id } })).not.toBeNull();
    }
  });

  it('refuses a group with subgroups (409) and keeps it', async () => {
    const p = await t.group('Has kids');
    await t.group('Kid', p.id);
    expect(problem(await t.as(caller('admin'), { method: 'DELETE', url: `/api/v1/groups/${p.id}` }), 409).code).toBe('group_has_children');
    expect(await t.db.prisma.group.findUnique({ where: { id: p.id } })).not.toBeNull();
  });

  it('removes memberships with the group', async () => {
    const g = await t.group('Doomed');
    const u = await t.user('learner');
    await t.member(g.id, u.id, 'learner', 'observer');
    expect((await t.as(caller('owner'), { method: 'DELETE', url: `/api/v1/groups/${g.id}` })).statusCode).toBe(204);
    expect(await t.db.prisma.membership.count({ where: { groupId: g.id } })).toBe(0);
    problem(await t.as(caller('owner'), { method: 'DELETE', url: `/api/v1/groups/${g.id}` }), 404);
  });
});

describe('members', () => {
  const listExpected = readers(200);
  it.each(everyone)('GET members as %s', async (who) => {
    const res = await t.as(caller(who), { method: 'GET', url: `/api/v1/groups/${team.id}/members` });
    if (listExpected[who] === 200) {
      expect(res.statusCode).toBe(200);
      const emails = res.json().items.map((m: { user: { email: string } }) => m.user.email);
      expect(emails).toContain(as.learner!.email);
      expect(emails).toContain(as.observer!.email);
      expect(emails).not.toContain(as.ancestorObserver!.email);
    } else {
      problem(res, listExpected[who]);
    }
  });

  const writeExpected = managers(200);
  it.each(everyone)('PUT and DELETE a member as %s', async (who) => {
    const target = await t.user('learner');
    // By exact e-mail: how a group admin adds someone from outside their subtree.
    const url = `/api/v1/groups/${team.id}/members/${encodeURIComponent(`email:${target.email}`)}`;
    const put = await t.as(caller(who), { method: 'PUT', url, payload: { roles: ['learner'] } });
    const rows = () => t.db.prisma.membership.findMany({ where: { userId: target.id, groupId: team.id } });
    if (writeExpected[who] === 200) {
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({ userId: target.id, groupId: team.id, roles: ['learner'], added: ['learner'], removed: [] });
      expect((await rows()).map((m) => m.role)).toEqual(['learner']);
      expect((await t.as(caller(who), { method: 'DELETE', url })).statusCode).toBe(204);
      expect(await rows()).toEqual([]);
    } else {
      problem(put, writeExpected[who]);
      expect(await rows()).toEqual([]);
      await t.member(team.id, target.id, 'learner');
      problem(await t.as(caller(who), { method: 'DELETE', url }), writeExpected[who]);
      expect((await rows()).map((m) => m.role)).toEqual(['learner']);
    }
  });

  it('lists roles and sources, filters by role, pages by e-mail', async () => {
    const g = await t.group('Roster');
    const a = await t.user('learner');
    const b = await t.user('learner');
    const c = await t.user('learner');
    await t.member(g.id, a.id, 'learner', 'observer');
    await t.member(g.id, b.id, 'learner');
    await t.db.prisma.membership.create({ data: { groupId: g.id, userId: c.id, role: 'admin', source: 'api' } });
    const res = await t.as(caller('admin'), { method: 'GET', url: `/api/v1/groups/${g.id}/members?limit=100` });
    const items = res.json().items as { user: { id: string }; roles: string[]; sources: { role: string; source: string }[] }[];
    const byId = new Map(items.map((m) => [m.user.id, m]));
    expect(byId.size).toBe(3);
    expect(byId.get(a.id)).toMatchObject({
      roles: ['learner', 'observer'],
      sources: [{ role: 'learner', source: 'manual' }, { role: 'observer', source: 'manual' }],
    });
    expect(byId.get(c.id)).toMatchObject({ roles: ['admin'], sources: [{ role: 'admin', source: 'api' }] });
    const observers = await t.as(caller('admin'), { method: 'GET', url: `/api/v1/groups/${g.id}/members?role=observer` });
    expect(observers.json().items.map((m: { user: { id: string } }) => m.user.id)).toEqual([a.id]);
    const seen: string[] = [];
    let url: string | null = `/api/v1/groups/${g.id}/members?limit=1`;
    while (url) {
      const page = await t.as(caller('admin'), { method: 'GET', url });
      seen.push(...page.json().items.map((m: { user: { id: string } }) => m.user.id));
      url = page.json().nextCursor ? /^<([^>]+)>/.exec(String(page.headers.link))![1]! : null;
    }
    expect(seen.sort()).toEqual([a.id, b.id, c.id].sort());
  });

  it('PUT replaces roles, {roles: []} removes, DELETE ?role= removes one role only; user refs work', async () => {
    const g = await t.group('Roles');
    const ext = `m-${randomUUID().slice(0, 8)}`;
    const u = await t.user('learner', { externalId: ext });
    const roles = async () => (await t.db.prisma.membership.findMany({ where: { userId: u.id, groupId: g.id } })).map((m) => m.role).sort();
    const put = (ref: string, r: string[]) => t.as(caller('admin'), { method: 'PUT', url: `/api/v1/groups/${g.id}/members/${encodeURIComponent(ref)}`, payload: { roles: r } });

    expect((await put(`email:${u.email}`, ['learner', 'observer'])).json().roles.sort()).toEqual(['learner', 'observer']);
    expect(await roles()).toEqual(['learner', 'observer']);
    const swap = (await put(`ext:${ext}`, ['observer', 'admin'])).json();
    expect(swap).toMatchObject({ added: ['admin'], removed: ['learner'] });
    expect(await roles()).toEqual(['admin', 'observer']);

    const del = await t.as(caller('admin'), { method: 'DELETE', url: `/api/v1/groups/${g.id}/members/${u.id}?role=observer` });
    expect(del.statusCode).toBe(204);
    expect(await roles()).toEqual(['admin']);
    problem(await t.as(caller('admin'), { method: 'DELETE', url: `/api/v1/groups/${g.id}/members/${u.id}?role=observer` }), 404);

    expect((await put(u.id, [])).json()).toMatchObject({ roles: [], removed: ['admin'] });
    expect(await roles()).toEqual([]);

    problem(await put(u.id, ['boss']), 400);
    problem(await put(randomUUID(), ['learner']), 404);
    expect(await roles()).toEqual([]);
  });

  it('lets a group admin of the ancestor manage a subgroup’s members by ext: group reference', async () => {
    const ext = `sub-${randomUUID().slice(0, 8)}`;
    const sub = await t.group('Sub ext', team.id, { externalId: ext });
    const u = await t.user('learner');
    const res = await t.as(caller('ancestorAdmin'), { method: 'PUT', url: `/api/v1/groups/ext:${ext}/members/email:${u.email}`, payload: { roles: ['observer'] } });
    expect(res.statusCode).toBe(200);
    expect(await t.db.prisma.membership.count({ where: { userId: u.id, groupId: sub.id, role: 'observer' } })).toBe(1);
  });
});
