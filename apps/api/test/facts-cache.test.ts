import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, type TestContext, type TestUser } from './helpers.ts';

/**
 * What a reader is to a group is kept per process (lib/facts-cache.ts) so that a group space's page is the bare page:
 * the cache must never outlive a membership or a place in the tree, whoever changed it.
 */
let t: TestContext;
let admin: TestUser;
beforeAll(async () => {
  t = await createTestContext();
  admin = await t.user('admin');
});
afterAll(async () => t?.close());

const space = (who: TestUser, groupId: string) => t.as(who, { method: 'GET', url: `/api/v1/groups/${groupId}/posts` });
/** Reads twice: the second read is served with the facts the first one kept. */
const readsTwice = async (who: TestUser, groupId: string) => {
  expect((await space(who, groupId)).statusCode).toBe(200);
  expect((await space(who, groupId)).statusCode).toBe(200);
};

/** A learner of a new group who has read its space twice: the second read was served with the facts the first kept. */
const learnerReading = async () => {
  const group = await t.group();
  const lea = await t.user('learner');
  await t.member(group.id, lea.id, 'learner');
  await readsTwice(lea, group.id);
  return { group, lea };
};

describe('the group facts cache', () => {
  it('is used: a change the database does not notify goes unseen until the entry expires', async () => {
    const { group, lea } = await learnerReading();
    // Triggers off for this one statement (what a restore of a dump does): nobody is told.
    await t.db.prisma.$transaction([
      t.db.prisma.$executeRaw`SET LOCAL session_replication_role = replica`,
      t.db.prisma.$executeRaw`DELETE FROM memberships WHERE user_id = ${lea.id}::uuid`,
    ]);
    expect((await space(lea, group.id)).statusCode).toBe(200);
    t.app.groupFactsCache.clear();
    expect((await space(lea, group.id)).statusCode).toBe(404);
  });

  it('follows a removal made by this process at once', async () => {
    const { group, lea } = await learnerReading();
    const removed = await t.as(admin, { method: 'DELETE', url: `/api/v1/groups/${group.id}/members/${lea.id}` });
    expect(removed.statusCode).toBe(204);
    expect((await space(lea, group.id)).statusCode).toBe(404);
  });

  it('is forgotten before a write answered here leaves (not for writing in threads)', async () => {
    const { group, lea } = await learnerReading();
    expect(t.app.groupFactsCache.peek(lea.id, group.id)).toBeDefined();
    // Posting changes no membership: the facts stay.
    const posted = await t.as(lea, { method: 'POST', url: `/api/v1/groups/${group.id}/posts`, payload: { body: 'Hello' } });
    expect(posted.statusCode).toBe(201);
    expect(t.app.groupFactsCache.peek(lea.id, group.id)).toBeDefined();
    // Any other write may have (this one changed nothing, so no notification comes): forgotten by the answer itself.
    const missing = await t.as(admin, { method: 'PATCH', url: `/api/v1/groups/${crypto.randomUUID()}`, payload: { name: 'Nope' } });
    expect(missing.statusCode).toBe(404);
    expect(t.app.groupFactsCache.peek(lea.id, group.id)).toBeUndefined();
  });

  it('follows a group moved by this process at once: the observers above it no longer cover it', async () => {
    const [north, south] = [await t.group('North'), await t.group('South')];
    const team = await t.group('Team', north.id);
    const olga = await t.user('learner');
    await t.member(north.id, olga.id, 'observer');
    await readsTwice(olga, team.id);
    const moved = await t.as(admin, { method: 'PATCH', url: `/api/v1/groups/${team.id}`, payload: { parentId: south.id } });
    expect(moved.statusCode).toBe(200);
    expect((await space(olga, team.id)).statusCode).toBe(404);
  });

  it('follows a removal written by another process as soon as the database notifies it', async () => {
    const { group, lea } = await learnerReading();
    // A write that does not go through this app (another node, SQL by hand): the trigger's NOTIFY forgets the facts.
    await t.db.prisma.$executeRaw`DELETE FROM memberships WHERE user_id = ${lea.id}::uuid AND group_id = ${group.id}::uuid`;
    await vi.waitFor(async () => expect((await space(lea, group.id)).statusCode).toBe(404), { timeout: 5_000, interval: 20 });
  });

  it('follows a statement that removed more than a hundred people (one notification for all)', async () => {
    const group = await t.group();
    const lea = await t.user('learner');
    await t.member(group.id, lea.id, 'learner');
    await t.db.prisma.$executeRaw`
      INSERT INTO users (email, first_name, last_name, updated_at)
      SELECT 'many' || i || '-' || ${group.id} || '@facts.test', 'F', 'L', now() FROM generate_series(1, 120) i`;
    await t.db.prisma.$executeRaw`
      INSERT INTO memberships (user_id, group_id, role)
      SELECT id, ${group.id}::uuid, 'learner' FROM users WHERE email LIKE ${`many%-${group.id}@facts.test`}`;
    await readsTwice(lea, group.id);
    await t.db.prisma.$executeRaw`DELETE FROM memberships WHERE group_id = ${group.id}::uuid`;
    await vi.waitFor(async () => expect((await space(lea, group.id)).statusCode).toBe(404), { timeout: 5_000, interval: 20 });
  });

  it('follows a group moved by another process as soon as the database notifies it', async () => {
    const [north, south] = [await t.group('North'), await t.group('South')];
    const team = await t.group('Team', north.id);
    const olga = await t.user('learner');
    await t.member(north.id, olga.id, 'observer');
    await readsTwice(olga, team.id);
    await t.db.prisma.$executeRaw`UPDATE groups SET parent_id = ${south.id}::uuid WHERE id = ${team.id}::uuid`;
    await vi.waitFor(async () => expect((await space(olga, team.id)).statusCode).toBe(404), { timeout: 5_000, interval: 20 });
  });

  it('gives a new membership at once: a reader refused is not refused from the cache', async () => {
    const group = await t.group();
    const lea = await t.user('learner');
    expect((await space(lea, group.id)).statusCode).toBe(404);
    const added = await t.as(admin, { method: 'PUT', url: `/api/v1/groups/${group.id}/members/${lea.id}`, payload: { roles: ['learner'] } });
    expect(added.statusCode).toBeLessThan(300);
    await readsTwice(lea, group.id);
  });
});
