import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processBulkOperation } from '../src/modules/bulk/bulk.service.ts';
import { createInParts, createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

let t: TestContext;
let admin: TestUser, learner: TestUser;
beforeAll(async () => {
  t = await createTestContext({ COVEY_TEST_JOBS: '1' });
  [admin, learner] = await Promise.all([t.user('admin'), t.user('learner')]);
});
afterAll(async () => t?.close());

async function waitDone(id: string, who: TestUser = admin) {
  for (let i = 0; i < 600; i++) {
    const res = await t.as(who, { method: 'GET', url: `/api/v1/bulk/operations/${id}` });
    if (['completed', 'failed'].includes(res.json().status)) return res.json();
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('bulk operation did not finish');
}

describe('bulk memberships', () => {
  it('applies 20,000 operations in the background, with correct counts and per-item errors', async () => {
    const tag = randomUUID().slice(0, 8);
    const users = Array.from({ length: 5000 }, (_, i) => ({ id: randomUUID(), email: `b${i}-${tag}@bulk.test`, firstName: 'B', lastName: `${i}`, externalId: `hr-${tag}-${i}` }));
    await createInParts((data) => t.db.prisma.user.createMany({ data }), users);
    const groups = await Promise.all(['North', 'South', 'East', 'West'].map((n, i) => t.group(`${n} ${tag}`, null, { externalId: `erp-${tag}-${i}` })));
    const program = await t.program();
    await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${groups[0]!.id}` });
    // West starts with everyone, to be removed in bulk.
    await t.db.prisma.membership.createMany({ data: users.map((u) => ({ userId: u.id, groupId: groups[3]!.id, role: 'learner' as const })) });

    const operations = [
      ...users.map((u) => ({ op: 'add', user: u.id, group: groups[0]!.id, role: 'learner' })),
      ...users.map((u, i) => ({ op: 'add', user: `email:${u.email.toUpperCase()}`, group: `ext:erp-${tag}-1`, role: i % 10 === 0 ? 'observer' : 'learner' })),
      ...users.map((u) => ({ op: 'add', user: `ext:${u.externalId}`, group: groups[2]!.id, role: 'learner' })),
      ...users.slice(0, 4990).map((u) => ({ op: 'remove', user: u.id, group: groups[3]!.id, role: 'learner' })),
      ...Array.from({ length: 5 }, (_, i) => ({ op: 'add', user: `email:ghost${i}@nowhere.test`, group: groups[0]!.id, role: 'learner' })),
      ...Array.from({ length: 5 }, () => ({ op: 'add', user: users[0]!.id, group: 'ext:no-such-group', role: 'learner' })),
    ];
    expect(operations).toHaveLength(20_000);
    const submitted = await t.as(admin, { method: 'POST', url: '/api/v1/bulk/memberships', payload: { operations } });
    expect(submitted.statusCode).toBe(202);
    expect(submitted.headers.location).toBe(`/api/v1/bulk/operations/${submitted.json().id}`);
    expect(submitted.json()).toMatchObject({ status: 'queued', total: 20_000, processed: 0 });

    const done = await waitDone(submitted.json().id);
    expect(done).toMatchObject({ status: 'completed', total: 20_000, processed: 20_000, succeeded: 19_990, failed: 10 });
    expect(done.errors.map((e: { code: string }) => e.code).sort()).toEqual([...Array(5).fill('group_not_found'), ...Array(5).fill('user_not_found')]);
    expect(done.errors.map((e: { index: number }) => e.index).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 19_990 + i));

    const count = (groupId: string, role: 'learner' | 'observer') => t.db.prisma.membership.count({ where: { groupId, role } });
    expect(await count(groups[0]!.id, 'learner')).toBe(5000);
    expect(await count(groups[1]!.id, 'observer')).toBe(500);
    expect(await count(groups[1]!.id, 'learner')).toBe(4500);
    expect(await count(groups[2]!.id, 'learner')).toBe(5000);
    expect(await count(groups[3]!.id, 'learner')).toBe(10);
    // The group's ongoing program followed, set-based.
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id, status: 'enrolled' } })).toBe(5000);
    expect(await t.db.prisma.outboxEvent.count({ where: { type: 'group.member.removed' } })).toBe(4990);
  }, 240_000);

  it('is idempotent when resumed after a crash: a finished batch is not applied twice', async () => {
    const g = await t.group('Resume');
    const people = await Promise.all([t.user(), t.user(), t.user()]);
    const op = await t.db.prisma.bulkOperation.create({
      data: { kind: 'memberships', total: 3, payload: people.map((p) => ({ op: 'add', user: p.id, group: g.id, role: 'learner' })), status: 'running' },
    });
    await processBulkOperation(t.app, op.id);
    await processBulkOperation(t.app, op.id);
    const after = await t.db.prisma.bulkOperation.findUniqueOrThrow({ where: { id: op.id } });
    expect(after).toMatchObject({ status: 'completed', processed: 3, succeeded: 3, failed: 0 });
    expect(await t.db.prisma.membership.count({ where: { groupId: g.id } })).toBe(3);
  });

  it('takes an admin or the bulk scope; operations are visible to their creator and admins only', async () => {
    problem(await t.as(learner, { method: 'POST', url: '/api/v1/bulk/memberships', payload: { operations: [{ op: 'add', user: learner.id, group: learner.id }] } }), 403);
    problem(await t.as(admin, { method: 'POST', url: '/api/v1/bulk/memberships', payload: { operations: [] } }), 400);
    problem(await t.as(admin, { method: 'POST', url: '/api/v1/bulk/memberships', payload: { operations: Array(20_001).fill({ op: 'add', user: 'x', group: 'y' }) } }), 400);
    const mine = await t.as(admin, { method: 'POST', url: '/api/v1/bulk/memberships', payload: { operations: [{ op: 'add', user: 'email:none@x.test', group: 'ext:none' }] } });
    problem(await t.as(learner, { method: 'GET', url: `/api/v1/bulk/operations/${mine.json().id}` }), 404);
  });
});
