import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestUser } from './helpers.ts';

/** What a group admin and an observer see of their groups, and dry runs that change nothing. */
let t: TestContext;
let admin: TestUser;
let groupAdmin: TestUser;
let parentObserver: TestUser;
let learner: TestUser;
let region: string;
let team: string;

beforeAll(async () => {
  t = await createTestContext();
  [admin, groupAdmin, parentObserver, learner] = [await t.user('admin'), await t.user('learner'), await t.user('learner'), await t.user('learner')];
  region = (await t.group('Region')).id;
  team = (await t.group('Team', region)).id;
  await t.member(team, groupAdmin.id, 'admin');
  await t.member(region, parentObserver.id, 'observer');
  await t.member(team, learner.id, 'learner');
}, 60_000);
afterAll(async () => t?.close());

const get = (as: TestUser, url: string) => t.as(as, { method: 'GET', url: `/api/v1${url}` });

describe('programs reaching a group', () => {
  it('marks inherited ones, and shows drafts only to those who manage the group', async () => {
    const onRegion = await t.program({ title: 'Inherited' });
    const draft = await t.program({ title: 'Draft here', status: 'draft' });
    await t.db.prisma.programAssignment.createMany({ data: [{ programId: onRegion.id, groupId: region }, { programId: draft.id, groupId: team }] });
    const seen = async (as: TestUser) => (await get(as, `/groups/${team}/programs`)).json().items;
    expect(await seen(groupAdmin)).toEqual([
      { program: { id: draft.id, title: 'Draft here', status: 'draft' }, via: null },
      { program: { id: onRegion.id, title: 'Inherited', status: 'published' }, via: { id: region, name: 'Region' } },
    ]);
    expect(await seen(learner)).toEqual([{ program: { id: onRegion.id, title: 'Inherited', status: 'published' }, via: { id: region, name: 'Region' } }]);
  });

  it('lists a group admin the published catalogue only', async () => {
    await t.program({ title: 'Unpublished', status: 'draft' });
    const items: { status: string }[] = (await get(groupAdmin, '/programs?limit=100')).json().items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((p) => p.status === 'published')).toBe(true);
    expect((await get(learner, '/programs')).statusCode).toBe(403);
  });
});

describe('observers of a group', () => {
  it('lists those of the group and, via, of its ancestors', async () => {
    const direct = await t.user('learner');
    await t.member(team, direct.id, 'observer');
    const items = (await get(learner, `/groups/${team}/observers`)).json().items;
    expect(items.map((o: { user: { id: string }; via: unknown }) => [o.user.id, o.via])).toEqual([
      [direct.id, null],
      [parentObserver.id, { id: region, name: 'Region' }],
    ]);
  });
});

describe('dry runs', () => {
  it('tell what removing a member, unassigning, deactivating and deleting would do, and change nothing', async () => {
    const group = (await t.group('Dry', team)).id;
    const person = await t.user('learner');
    await t.member(group, person.id, 'learner');
    const program = await t.program();
    expect((await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${group}` })).statusCode).toBe(200);
    const state = async () => ({
      memberships: await t.db.prisma.membership.count({ where: { groupId: group } }),
      assignments: await t.db.prisma.programAssignment.count({ where: { groupId: group } }),
      enrolled: await t.db.prisma.enrollment.count({ where: { userId: person.id, status: { not: 'withdrawn' } } }),
      user: (await t.db.prisma.user.findUniqueOrThrow({ where: { id: person.id } })).status,
      group: await t.db.prisma.group.count({ where: { id: group } }),
    });
    const before = await state();
    const dry = (method: 'DELETE', url: string) => t.as(groupAdmin, { method, url: `/api/v1${url}?dryRun=true` });
    expect((await dry('DELETE', `/groups/${group}/members/${person.id}`)).json()).toEqual({ dryRun: true, removed: ['learner'], withdrawn: 1 });
    expect((await dry('DELETE', `/programs/${program.id}/groups/${group}`)).json()).toMatchObject({ dryRun: true, withdrawnCount: 1 });
    expect((await dry('DELETE', `/groups/${group}`)).json()).toEqual({ dryRun: true, members: 1, subgroups: 0, withdrawn: 1 });
    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/users/${person.id}?dryRun=true` })).json()).toMatchObject({ dryRun: true, groups: 1, enrollments: 1 });
    expect(await state()).toEqual(before);
    // A group admin may not rehearse what they may not do.
    expect((await t.as(groupAdmin, { method: 'DELETE', url: `/api/v1/users/${person.id}?dryRun=true` })).statusCode).toBe(404);
    expect((await t.as(groupAdmin, { method: 'DELETE', url: `/api/v1/groups/${team}?dryRun=true` })).statusCode).toBe(403);
  });
});
