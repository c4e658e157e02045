import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestUser } from './helpers.ts';

/** Found by `pnpm loadtest`: concurrent role changes of one member deadlocked (two transactions, opposite lock order). */
let t: TestContext;
let admin: TestUser, learner: TestUser;
beforeAll(async () => {
  t = await createTestContext();
  [admin, learner] = await Promise.all([t.user('admin'), t.user('learner')]);
});
afterAll(async () => t?.close());

describe('concurrent membership changes', () => {
  it('serialize per user: every request succeeds and the last state is consistent', async () => {
    const group = await t.group('Busy');
    const program = await t.program();
    await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${group.id}` });
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        t.as(admin, { method: 'PUT', url: `/api/v1/groups/${group.id}/members/${learner.id}`, payload: { roles: i % 2 ? ['learner'] : ['learner', 'observer'] } }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(24).fill(200));
    const roles = (await t.db.prisma.membership.findMany({ where: { groupId: group.id, userId: learner.id } })).map((m) => m.role);
    expect(roles).toContain('learner');
    expect(await t.db.prisma.enrollment.count({ where: { userId: learner.id, programId: program.id, status: 'enrolled' } })).toBe(1);
  });
});
