import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupRole } from '@covey/schema';
import { learnersOfSubtree, reconcileEnrollments } from '../src/modules/enrollments/enrollment-engine.ts';
import { problem, withAdmin, type TestContext, type TestUser } from './helpers.ts';

let t: TestContext;
let admin: TestUser;
beforeAll(async () => ({ t, admin } = await withAdmin()));
afterAll(async () => t?.close());

const assign = (programId: string, group: string, query = '') =>
  t.as(admin, { method: 'PUT', url: `/api/v1/programs/${programId}/groups/${group}${query}` });
const unassign = (programId: string, group: string) =>
  t.as(admin, { method: 'DELETE', url: `/api/v1/programs/${programId}/groups/${group}` });
const setRoles = (groupId: string, userId: string, roles: GroupRole[]) =>
  t.as(admin, { method: 'PUT', url: `/api/v1/groups/${groupId}/members/${userId}`, payload: { roles } });
const complete = (user: TestUser, programId: string, stepId: string) =>
  t.as(user, { method: 'POST', url: `/api/v1/programs/${programId}/steps/${stepId}/complete` });

/** Enrollment rows of a program, keyed by user, with the groups of their sources. */
async function enrollments(programId: string) {
  const rows = await t.db.prisma.enrollment.findMany({
    where: { programId },
    include: { sources: { include: { assignment: { select: { groupId: true } } } } },
  });
  return new Map(
    rows.map((e) => [e.userId, { id: e.id, status: e.status, progress: e.progress, withdrawnAt: e.withdrawnAt, groups: e.sources.map((s) => s.assignment.groupId).sort() }]),
  );
}

async function outbox(type: string, programId: string) {
  const [row] = await t.db.prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM outbox_events WHERE type = ${type} AND payload->>'programId' = ${programId}`;
  return row!.n;
}

async function learners(n: number) {
  return Promise.all(Array.from({ length: n }, () => t.user('learner')));
}

describe('assigning a program to a group', () => {
  it('enrolls every active learner of the group and its subgroups, once, and nobody else', async () => {
    const root = await t.group('Root');
    const mid = await t.group('Mid', root.id);
    const leaf = await t.group('Leaf', mid.id);
    const elsewhere = await t.group('Elsewhere');
    const [inRoot, inMid, inLeaf, inTwo, observer, groupAdmin, outsider] = await learners(7);
    const gone = await t.user('learner', { status: 'deactivated' });
    await t.member(root.id, inRoot!.id, 'learner');
    await t.member(mid.id, inMid!.id, 'learner');
    await t.member(leaf.id, inLeaf!.id, 'learner');
    await t.member(mid.id, inTwo!.id, 'learner');
    await t.member(leaf.id, inTwo!.id, 'learner', 'observer');
    await t.member(root.id, observer!.id, 'observer');
    await t.member(mid.id, groupAdmin!.id, 'admin');
    await t.member(leaf.id, gone.id, 'learner');
    await t.member(elsewhere.id, outsider!.id, 'learner');
    const program = await t.program();

    const res = await assign(program.id, root.id);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const expected = [inRoot!, inMid!, inLeaf!, inTwo!].map((u) => u.id).sort();
    expect(body).toMatchObject({ programId: program.id, groupId: root.id, dryRun: false, assigned: true, enrolledCount: 4 });
    expect(body.enrolled.map((u: { id: string }) => u.id).sort()).toEqual(expected);
    expect(body.enrolled.find((u: { id: string }) => u.id === inLeaf!.id)).toEqual({
      id: inLeaf!.id, email: inLeaf!.email, firstName: expect.any(String), lastName: expect.any(String),
    });

    const rows = await enrollments(program.id);
    expect([...rows.keys()].sort()).toEqual(expected);
    for (const e of rows.values()) expect(e).toMatchObject({ status: 'enrolled', progress: 0, groups: [root.id] });
    expect(await outbox('enrollment.created', program.id)).toBe(4);
    expect(await outbox('program.assigned', program.id)).toBe(1);

    // The same PUT again: nothing new, no duplicate rows, no second event.
    const again = await assign(program.id, root.id);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ assigned: true, enrolledCount: 0, enrolled: [] });
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id } })).toBe(4);
    expect(await t.db.prisma.enrollmentSource.count({ where: { enrollment: { programId: program.id } } })).toBe(4);
    expect(await t.db.prisma.programAssignment.count({ where: { programId: program.id } })).toBe(1);
    expect(await outbox('enrollment.created', program.id)).toBe(4);
    expect(await outbox('program.assigned', program.id)).toBe(1);
  });

  it('answers a dry run with who would be enrolled and writes nothing', async () => {
    const group = await t.group();
    const [a, b, c] = await learners(3);
    await t.member(group.id, a!.id, 'learner');
    await t.member(group.id, b!.id, 'learner');
    const program = await t.program();

    const dry = await assign(program.id, group.id, '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, assigned: false, enrolledCount: 2 });
    expect(dry.json().enrolled.map((u: { id: string }) => u.id).sort()).toEqual([a!.id, b!.id].sort());
    expect(await t.db.prisma.programAssignment.count({ where: { programId: program.id } })).toBe(0);
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id } })).toBe(0);
    const [events] = await t.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM outbox_events WHERE payload->>'programId' = ${program.id}`;
    expect(events!.n).toBe(0);

    expect((await assign(program.id, group.id)).json().enrolledCount).toBe(2);
    // Once assigned, a dry run only names learners not enrolled yet.
    await t.member(group.id, c!.id, 'learner');
    const later = (await assign(program.id, group.id, '?dryRun=1')).json();
    expect(later).toMatchObject({ dryRun: true, enrolledCount: 1, enrolled: [{ id: c!.id }] });
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id } })).toBe(2);
  });

  it('accepts ext: group references and answers 404 for unknown groups', async () => {
    const externalId = `hr-${randomUUID().slice(0, 8)}`;
    const group = await t.group('HR', null, { externalId });
    const [learner] = await learners(1);
    await t.member(group.id, learner!.id, 'learner');
    const program = await t.program();
    const res = await assign(program.id, `ext:${externalId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ groupId: group.id, enrolledCount: 1 });
    expect(problem(await assign(program.id, 'ext:nope'), 404).code).toBe('group_not_found');
    expect(problem(await assign(program.id, randomUUID()), 404).code).toBe('group_not_found');
    expect((await unassign(program.id, `ext:${externalId}`)).statusCode).toBe(204);
    expect(await t.db.prisma.programAssignment.count({ where: { programId: program.id } })).toBe(0);
  });

  it('enrolls nobody in a draft program until it is published, then everyone its groups reach', async () => {
    const parent = await t.group();
    const child = await t.group(undefined, parent.id);
    const [early, late] = await learners(2);
    await t.member(child.id, early!.id, 'learner');
    const program = await t.program({ status: 'draft' });

    const res = await assign(program.id, parent.id);
    expect(res.json()).toMatchObject({ assigned: true, enrolledCount: 0, enrolled: [] });
    expect(await t.db.prisma.programAssignment.count({ where: { programId: program.id } })).toBe(1);
    expect((await setRoles(child.id, late!.id, ['learner'])).json().enrolled).toBe(0);
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id } })).toBe(0);

    const publish = await t.as(admin, { method: 'PATCH', url: `/api/v1/programs/${program.id}`, payload: { status: 'published' } });
    expect(publish.statusCode).toBe(200);
    expect(publish.json()).toMatchObject({ status: 'published', ongoing: true });
    const rows = await enrollments(program.id);
    expect([...rows.keys()].sort()).toEqual([early!.id, late!.id].sort());
    for (const e of rows.values()) expect(e).toMatchObject({ status: 'enrolled', groups: [parent.id] });
    expect(await outbox('enrollment.created', program.id)).toBe(2);
  });

  it('enrolls nobody in an ended program, until it is re-opened', async () => {
    const group = await t.group();
    const [learner, joiner] = await learners(2);
    await t.member(group.id, learner!.id, 'learner');
    const program = await t.program({ endsAt: new Date(Date.now() - 86_400_000) });
    expect((await assign(program.id, group.id)).json()).toMatchObject({ enrolledCount: 0, enrolled: [] });
    expect((await setRoles(group.id, joiner!.id, ['learner'])).json().enrolled).toBe(0);
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id } })).toBe(0);

    const reopen = await t.as(admin, { method: 'PATCH', url: `/api/v1/programs/${program.id}`, payload: { endsAt: null } });
    expect(reopen.json()).toMatchObject({ endsAt: null, ongoing: true });
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id, status: 'enrolled' } })).toBe(2);
  });
});

describe('unassigning a program', () => {
  it('withdraws who it enrolled, whatever the case of the program id in the URL', async () => {
    const group = await t.group('Upper case');
    const [learner] = await learners(1);
    await t.member(group.id, learner!.id, 'learner');
    const program = await t.program();
    expect((await assign(program.id, group.id)).statusCode).toBe(200);
    expect((await enrollments(program.id)).get(learner!.id)?.status).toBe('enrolled');
    expect((await unassign(program.id.toUpperCase(), group.id)).statusCode).toBe(204);
    expect((await enrollments(program.id)).get(learner!.id)).toMatchObject({ status: 'withdrawn', groups: [] });
  });
});

describe('joining a group', () => {
  it('enrolls a new learner in the ongoing programs of the group and of its ancestors only', async () => {
    const root = await t.group();
    const leaf = await t.group(undefined, root.id);
    const sibling = await t.group(undefined, root.id);
    const [onRoot, onLeaf, onSibling, draft, ended] = await Promise.all([
      t.program(), t.program(), t.program(), t.program({ status: 'draft' }), t.program({ endsAt: new Date(Date.now() - 1000) }),
    ]);
    for (const [p, g] of [[onRoot, root], [onLeaf, leaf], [onSibling, sibling], [draft, root], [ended, leaf]] as const)
      expect((await assign(p.id, g.id)).statusCode).toBe(200);
    const [learner] = await learners(1);

    const res = await setRoles(leaf.id, learner!.id, ['learner']);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ roles: ['learner'], added: ['learner'], enrolled: 2, withdrawn: 0 });
    const rows = await t.db.prisma.enrollment.findMany({ where: { userId: learner!.id }, select: { programId: true, status: true } });
    expect(rows.map((r) => r.programId).sort()).toEqual([onRoot.id, onLeaf.id].sort());
    expect((await enrollments(onRoot.id)).get(learner!.id)?.groups).toEqual([root.id]);
    expect((await enrollments(onLeaf.id)).get(learner!.id)?.groups).toEqual([leaf.id]);
    expect(await outbox('enrollment.created', onLeaf.id)).toBe(1);
  });

  it('enrolls nobody on an observer or admin role alone', async () => {
    const group = await t.group();
    const program = await t.program();
    await assign(program.id, group.id);
    const [user] = await learners(1);
    expect((await setRoles(group.id, user!.id, ['observer', 'admin'])).json()).toMatchObject({ enrolled: 0 });
    expect(await t.db.prisma.enrollment.count({ where: { userId: user!.id } })).toBe(0);
    // Adding the learner role on top enrolls.
    expect((await setRoles(group.id, user!.id, ['observer', 'admin', 'learner'])).json()).toMatchObject({ added: ['learner'], enrolled: 1 });
    expect(await t.db.prisma.enrollment.count({ where: { userId: user!.id, programId: program.id, status: 'enrolled' } })).toBe(1);
  });

  it('enrolls a user created with groups at once', async () => {
    const externalId = `sales-${randomUUID().slice(0, 8)}`;
    const parent = await t.group();
    const group = await t.group(undefined, parent.id, { externalId });
    const program = await t.program();
    await assign(program.id, parent.id);
    const email = `new-${randomUUID().slice(0, 8)}@test.covey`;
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email, firstName: 'New', lastName: 'Hire', groups: [{ group: `ext:${externalId}`, role: 'learner' }] },
    });
    expect(res.statusCode).toBe(201);
    const rows = await enrollments(program.id);
    expect(rows.get(res.json().id)).toMatchObject({ status: 'enrolled', groups: [parent.id] });

    const observer = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: `obs-${email}`, firstName: 'New', lastName: 'Boss', groups: [{ group: group.id, role: 'observer' }] },
    });
    expect(observer.statusCode).toBe(201);
    expect(await t.db.prisma.enrollment.count({ where: { userId: observer.json().id } })).toBe(0);
  });
});

describe('enrollment sources', () => {
  it('records every assignment that reaches a learner and keeps the enrollment while one remains', async () => {
    const parent = await t.group('A parent');
    const child = await t.group('B child', parent.id);
    const [learner] = await learners(1);
    await t.member(child.id, learner!.id, 'learner');
    const program = await t.program();
    expect((await assign(program.id, parent.id)).json().enrolledCount).toBe(1);
    expect((await assign(program.id, child.id)).json().enrolledCount).toBe(0);

    const list = async () => {
      const res = await t.as(admin, { method: 'GET', url: `/api/v1/programs/${program.id}/enrollments` });
      expect(res.statusCode).toBe(200);
      return res.json().items as { user: { id: string }; status: string; sources: { groupId: string }[] }[];
    };
    const [item] = await list();
    expect(item).toMatchObject({ user: { id: learner!.id }, status: 'enrolled' });
    expect(item!.sources).toEqual([{ groupId: parent.id, groupName: 'A parent' }, { groupId: child.id, groupName: 'B child' }]);
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id } })).toBe(1);

    expect((await unassign(program.id, child.id)).statusCode).toBe(204);
    const [kept] = await list();
    expect(kept).toMatchObject({ status: 'enrolled', sources: [{ groupId: parent.id }] });
    expect(kept!.sources).toHaveLength(1);
    expect(await outbox('program.unassigned', program.id)).toBe(1);

    expect((await unassign(program.id, parent.id)).statusCode).toBe(204);
    const [gone] = await list();
    expect(gone).toMatchObject({ status: 'withdrawn', sources: [] });
    expect(problem(await unassign(program.id, parent.id), 404).code).toBe('not_found');
  });
});

describe('the fast path of a new assignment', () => {
  it('writes exactly what the general reconcile would: a full reconcile after it finds nothing to change', async () => {
    const root = await t.group('Fast root');
    const mid = await t.group('Fast mid', root.id);
    const leaf = await t.group('Fast leaf', mid.id);
    const [inRoot, inLeaf, inTwo, wasWithdrawn, viaOther, observer] = await learners(6);
    const gone = await t.user('learner', { status: 'deactivated' });
    await t.member(root.id, inRoot!.id, 'learner');
    await t.member(leaf.id, inLeaf!.id, 'learner');
    await t.member(mid.id, inTwo!.id, 'learner');
    await t.member(leaf.id, inTwo!.id, 'learner');
    await t.member(mid.id, wasWithdrawn!.id, 'learner');
    await t.member(leaf.id, viaOther!.id, 'learner');
    await t.member(mid.id, observer!.id, 'observer');
    await t.member(leaf.id, gone.id, 'learner');
    const program = await t.program();
    // Before: the leaf's own assignment enrolled inLeaf, inTwo and viaOther; one of mid's, now gone, left
    // wasWithdrawn with a withdrawn enrollment.
    await assign(program.id, leaf.id);
    await assign(program.id, mid.id);
    expect((await unassign(program.id, mid.id)).statusCode).toBe(204);
    expect((await enrollments(program.id)).get(wasWithdrawn!.id)).toMatchObject({ status: 'withdrawn', groups: [] });

    const res = await assign(program.id, root.id);
    expect(res.statusCode).toBe(200);
    // New: inRoot; back: wasWithdrawn. The others were enrolled through the leaf and gain the root as a source.
    expect(res.json().enrolledCount).toBe(2);
    expect(res.json().enrolled.map((u: { id: string }) => u.id).sort()).toEqual([inRoot!.id, wasWithdrawn!.id].sort());
    const after = await enrollments(program.id);
    expect([...after.keys()].sort()).toEqual([inRoot, inLeaf, inTwo, wasWithdrawn, viaOther].map((u) => u!.id).sort());
    for (const u of [inLeaf, inTwo, viaOther]) expect(after.get(u!.id)).toMatchObject({ status: 'enrolled', groups: [root.id, leaf.id].sort() });
    for (const u of [inRoot, wasWithdrawn]) expect(after.get(u!.id)).toMatchObject({ status: 'enrolled', groups: [root.id] });
    expect(await outbox('enrollment.created', program.id)).toBe(6);

    const sources = await t.db.prisma.enrollmentSource.count({ where: { enrollment: { programId: program.id } } });
    const full = await reconcileEnrollments(t.db.prisma, { users: learnersOfSubtree(root.id), programId: program.id });
    expect(full).toEqual({ enrolled: 0, withdrawn: 0 });
    expect(await t.db.prisma.enrollmentSource.count({ where: { enrollment: { programId: program.id } } })).toBe(sources);
    expect(await enrollments(program.id)).toEqual(after);
  });
});

describe('leaving', () => {
  it('withdraws unstarted enrollments nothing else holds; started ones keep their progress', async () => {
    const group = await t.group();
    const other = await t.group();
    const [unstarted, started, held] = await Promise.all([t.program(), t.program(), t.program()]);
    for (const p of [unstarted, started, held]) await assign(p.id, group.id);
    await assign(held.id, other.id);
    const [learner] = await learners(1);
    expect((await setRoles(group.id, learner!.id, ['learner', 'observer'])).json().enrolled).toBe(3);
    expect((await setRoles(other.id, learner!.id, ['learner'])).json().enrolled).toBe(0);
    expect((await complete(learner!, started.id, started.stepIds[0]!)).json()).toMatchObject({ progress: 25, status: 'in_progress' });

    const res = await t.as(admin, { method: 'DELETE', url: `/api/v1/groups/${group.id}/members/${learner!.id}?role=learner` });
    expect(res.statusCode).toBe(204);
    expect(await t.db.prisma.membership.count({ where: { groupId: group.id, userId: learner!.id } })).toBe(1); // still observer
    const withdrawn = (await enrollments(unstarted.id)).get(learner!.id);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', groups: [] });
    expect(withdrawn!.withdrawnAt).toBeInstanceOf(Date);
    expect((await enrollments(started.id)).get(learner!.id)).toMatchObject({ status: 'in_progress', progress: 25, groups: [] });
    expect(await t.db.prisma.stepCompletion.count({ where: { userId: learner!.id, stepId: started.stepIds[0]! } })).toBe(1);
    expect((await enrollments(held.id)).get(learner!.id)).toMatchObject({ status: 'enrolled', groups: [other.id] });
    // A withdrawn learner cannot progress any more.
    expect(problem(await complete(learner!, unstarted.id, unstarted.stepIds[0]!), 422).code).toBe('not_enrolled');

    // Re-joining re-enrolls the same row.
    const back = await setRoles(group.id, learner!.id, ['learner', 'observer']);
    expect(back.json()).toMatchObject({ added: ['learner'], enrolled: 1 });
    const again = (await enrollments(unstarted.id)).get(learner!.id);
    expect(again).toMatchObject({ id: withdrawn!.id, status: 'enrolled', withdrawnAt: null, groups: [group.id] });
    expect(await t.db.prisma.enrollment.count({ where: { userId: learner!.id } })).toBe(3);
    expect((await enrollments(started.id)).get(learner!.id)).toMatchObject({ status: 'in_progress', progress: 25, groups: [group.id] });
  });

  it('withdraws on a PUT that drops the learner role, as on a DELETE', async () => {
    const group = await t.group();
    const program = await t.program();
    await assign(program.id, group.id);
    const [learner] = await learners(1);
    await setRoles(group.id, learner!.id, ['learner']);
    const res = await setRoles(group.id, learner!.id, ['observer']);
    expect(res.json()).toMatchObject({ roles: ['observer'], removed: ['learner'], withdrawn: 1 });
    expect((await enrollments(program.id)).get(learner!.id)?.status).toBe('withdrawn');
  });

  it('unassigning withdraws unstarted enrollments only', async () => {
    const group = await t.group();
    const program = await t.program();
    const [idle, busy] = await learners(2);
    await t.member(group.id, idle!.id, 'learner');
    await t.member(group.id, busy!.id, 'learner');
    await assign(program.id, group.id);
    await complete(busy!, program.id, program.stepIds[1]!);
    expect((await unassign(program.id, group.id)).statusCode).toBe(204);
    const rows = await enrollments(program.id);
    expect(rows.get(idle!.id)).toMatchObject({ status: 'withdrawn', groups: [] });
    expect(rows.get(busy!.id)).toMatchObject({ status: 'in_progress', progress: 25, groups: [] });
    expect(await t.db.prisma.programAssignment.count({ where: { programId: program.id } })).toBe(0);
  });

  it('moving a group makes its subtree follow the new parent’s programs and leave the old parent’s unstarted ones', async () => {
    const oldParent = await t.group();
    const newParent = await t.group();
    const moved = await t.group(undefined, oldParent.id);
    const below = await t.group(undefined, moved.id);
    const [oldProgram, newProgram] = await Promise.all([t.program(), t.program()]);
    await assign(oldProgram.id, oldParent.id);
    await assign(newProgram.id, newParent.id);
    const [idle, busy, deep] = await learners(3);
    await setRoles(moved.id, idle!.id, ['learner']);
    await setRoles(moved.id, busy!.id, ['learner']);
    await setRoles(below.id, deep!.id, ['learner']);
    await complete(busy!, oldProgram.id, oldProgram.stepIds[0]!);

    const res = await t.as(admin, { method: 'PATCH', url: `/api/v1/groups/${moved.id}`, payload: { parentId: newParent.id } });
    expect(res.statusCode).toBe(200);
    const before = await enrollments(oldProgram.id);
    expect(before.get(idle!.id)).toMatchObject({ status: 'withdrawn', groups: [] });
    expect(before.get(deep!.id)).toMatchObject({ status: 'withdrawn', groups: [] });
    expect(before.get(busy!.id)).toMatchObject({ status: 'in_progress', progress: 25, groups: [] });
    const after = await enrollments(newProgram.id);
    expect([...after.keys()].sort()).toEqual([idle!.id, busy!.id, deep!.id].sort());
    for (const e of after.values()) expect(e).toMatchObject({ status: 'enrolled', groups: [newParent.id] });
  });

  it('deleting a group withdraws its learners from the programs it gave them', async () => {
    const parent = await t.group();
    const leaf = await t.group(undefined, parent.id);
    const [viaLeaf, viaParent] = await Promise.all([t.program(), t.program()]);
    await assign(viaLeaf.id, leaf.id);
    await assign(viaParent.id, parent.id);
    const [learner] = await learners(1);
    expect((await setRoles(leaf.id, learner!.id, ['learner'])).json().enrolled).toBe(2);
    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/groups/${leaf.id}` })).statusCode).toBe(204);
    expect((await enrollments(viaLeaf.id)).get(learner!.id)).toMatchObject({ status: 'withdrawn', groups: [] });
    expect((await enrollments(viaParent.id)).get(learner!.id)).toMatchObject({ status: 'withdrawn', groups: [] });
  });
});

describe('set-based fan-out', () => {
  it('assigns a program to a group of 2,000 learners in one go', async () => {
    const group = await t.group();
    const tag = randomUUID().slice(0, 8);
    const users = Array.from({ length: 2000 }, (_, i) => ({
      id: randomUUID(),
      email: `bulk-${tag}-${i}@test.covey`,
      firstName: 'Bulk',
      lastName: `L${String(i).padStart(4, '0')}`,
    }));
    await t.db.prisma.user.createMany({ data: users });
    await t.db.prisma.membership.createMany({ data: users.map((u) => ({ userId: u.id, groupId: group.id, role: 'learner' as const })) });
    const program = await t.program();

    const res = await assign(program.id, group.id);
    expect(res.statusCode).toBe(200);
    expect(res.json().enrolledCount).toBe(2000);
    expect(res.json().enrolled).toHaveLength(1000); // the list is capped, the count is not
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id, status: 'enrolled' } })).toBe(2000);
    expect(await t.db.prisma.enrollmentSource.count({ where: { enrollment: { programId: program.id } } })).toBe(2000);
    expect(await outbox('enrollment.created', program.id)).toBe(2000);

    // Unassigning withdraws them all. (Timing budgets live in `pnpm bench`, not in tests.)
    expect((await unassign(program.id, group.id)).statusCode).toBe(204);
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id, status: 'withdrawn' } })).toBe(2000);
  });
});

describe('concurrent changes', () => {
  it('records both sources when two assignments reaching the same learners run at once', async () => {
    const parent = await t.group();
    const child = await t.group(undefined, parent.id);
    const tag = randomUUID().slice(0, 8);
    const users = Array.from({ length: 300 }, (_, i) => ({ id: randomUUID(), email: `race-${tag}-${i}@test.covey`, firstName: 'R', lastName: `${i}` }));
    await t.db.prisma.user.createMany({ data: users });
    await t.db.prisma.membership.createMany({ data: users.map((u) => ({ userId: u.id, groupId: child.id, role: 'learner' as const })) });
    const program = await t.program();
    const [a, b] = await Promise.all([assign(program.id, parent.id), assign(program.id, child.id)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json().enrolledCount + b.json().enrolledCount).toBe(300);
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id } })).toBe(300);
    expect(await t.db.prisma.enrollmentSource.count({ where: { enrollment: { programId: program.id } } })).toBe(600);
    expect(await outbox('enrollment.created', program.id)).toBe(300);
  });

  it('records both sources when a learner joins two groups of the same program at once', async () => {
    const [g1, g2] = await Promise.all([t.group(), t.group()]);
    const programs = await Promise.all(Array.from({ length: 5 }, () => t.program()));
    for (const p of programs) {
      await assign(p.id, g1.id);
      await assign(p.id, g2.id);
    }
    const people = await learners(4);
    await Promise.all(people.flatMap((u) => [setRoles(g1.id, u.id, ['learner']), setRoles(g2.id, u.id, ['learner'])]));
    const ids = programs.map((p) => p.id);
    expect(await t.db.prisma.enrollment.count({ where: { programId: { in: ids } } })).toBe(20);
    expect(await t.db.prisma.enrollmentSource.count({ where: { enrollment: { programId: { in: ids } } } })).toBe(40);
  });
});
