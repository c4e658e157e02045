import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleExpression } from '@covey/schema';
import { problem, withAdmin, type TestContext, type TestUser } from './helpers.ts';

let t: TestContext;
let admin: TestUser;
beforeAll(async () => ({ t, admin } = await withAdmin()));
afterAll(async () => t?.close());

const salesFrBe: RuleExpression = {
  all: [
    { attribute: 'department', op: 'eq', value: 'Sales' },
    { attribute: 'country', op: 'in', value: ['FR', 'BE'] },
  ],
};
const dept = (value: string): RuleExpression => ({ attribute: 'department', op: 'eq', value });

const rulesUrl = (groupId: string, rest = '') => `/api/v1/groups/${groupId}/rules${rest}`;
const addRule = (groupId: string, expression: unknown, by: TestUser = admin, query = '') =>
  t.as(by, { method: 'POST', url: rulesUrl(groupId, query), payload: { name: 'Auto', expression } });
const patchUser = (userId: string, payload: Record<string, unknown>) =>
  t.as(admin, { method: 'PATCH', url: `/api/v1/users/${userId}`, payload });

/** Learner memberships of a group: user id -> source. */
async function learners(groupId: string) {
  const rows = await t.db.prisma.membership.findMany({ where: { groupId, role: 'learner' } });
  return Object.fromEntries(rows.map((m) => [m.userId, m.source]));
}

/** Everything a dry run must leave alone. */
async function snapshot() {
  const [row] = await t.db.prisma.$queryRaw<{ m: number; e: number; o: number; r: number }[]>`
    SELECT (SELECT count(*)::int FROM memberships) AS m, (SELECT count(*)::int FROM enrollments) AS e,
      (SELECT count(*)::int FROM outbox_events) AS o, (SELECT count(*)::int FROM group_rules) AS r`;
  return row;
}

async function status(userId: string, programId: string) {
  const e = await t.db.prisma.enrollment.findUnique({ where: { userId_programId: { userId, programId } } });
  return e?.status ?? null;
}

const ids = (users: { id: string }[]) => users.map((u) => u.id).sort();

describe('membership rules', () => {
  it('makes exactly the matching active users learners, and never touches a manual learner', async () => {
    const group = await t.group();
    const fr = await t.user('learner', { department: 'Sales', country: 'FR' });
    const be = await t.user('learner', { department: 'sales', country: 'be' });
    await t.user('learner', { department: 'Sales', country: 'DE' });
    await t.user('learner', { department: 'Marketing', country: 'FR' });
    await t.user('learner', { department: 'Sales', country: 'FR', status: 'deactivated' });
    const manual = await t.user('learner', { department: 'Sales', country: 'FR' });
    await t.member(group.id, manual.id, 'learner');

    const res = await addRule(group.id, salesFrBe);
    expect(res.statusCode).toBe(201);
    const rule = res.json();
    expect(res.headers.location).toBe(`/api/v1/groups/${group.id}/rules/${rule.id}`);
    expect(rule).toMatchObject({ ruleId: rule.id, groupId: group.id, memberCount: 2, expression: salesFrBe });
    expect(rule.explanation).toContain('department is "Sales" and country is one of "FR" or "BE"');
    expect(await learners(group.id)).toEqual({ [fr.id]: 'rule', [be.id]: 'rule', [manual.id]: 'manual' });
    const rows = await t.db.prisma.membership.findMany({ where: { groupId: group.id, source: 'rule' } });
    expect(rows.every((m) => m.ruleId === rule.id)).toBe(true);
    const [events] = await t.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM outbox_events
      WHERE type = 'group.member.added' AND payload->>'groupId' = ${group.id} AND payload->>'ruleId' = ${rule.id}`;
    expect(events!.n).toBe(2);

    // Rule-made memberships explain themselves.
    const members = await t.as(admin, { method: 'GET', url: rulesUrl(group.id, `/${rule.id}/members`) });
    expect(members.statusCode).toBe(200);
    expect(ids(members.json().items.map((i: { user: { id: string } }) => i.user))).toEqual(ids([fr, be]));
    expect(members.json().items[0]).toMatchObject({ ruleId: rule.id, explanation: rule.explanation });
    const listing = (await t.as(admin, { method: 'GET', url: `/api/v1/groups/${group.id}/members` })).json();
    expect(listing.items.find((i: { user: { id: string } }) => i.user.id === fr.id).sources).toEqual([{ role: 'learner', source: 'rule' }]);

    // The manual learner stops matching, then the rule goes: they stay, manual; the rule's learners leave.
    expect((await patchUser(manual.id, { department: 'Marketing' })).statusCode).toBe(200);
    expect((await learners(group.id))[manual.id]).toBe('manual');
    expect((await t.as(admin, { method: 'DELETE', url: rulesUrl(group.id, `/${rule.id}`) })).statusCode).toBe(204);
    expect(await learners(group.id)).toEqual({ [manual.id]: 'manual' });
    const [gone] = await t.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM outbox_events WHERE type = 'group.member.removed' AND payload->>'groupId' = ${group.id}`;
    expect(gone!.n).toBe(2);
  });

  it('moves a user whose department changes to the other rule-based group, and the enrollments follow', async () => {
    const tag = randomUUID().slice(0, 8);
    const sales = await t.group(`Sales ${tag}`);
    const marketing = await t.group(`Marketing ${tag}`);
    const mover = await t.user('learner', { department: `Sales-${tag}` });
    expect((await addRule(sales.id, dept(`sales-${tag}`))).statusCode).toBe(201);
    expect((await addRule(marketing.id, dept(`Marketing-${tag}`))).statusCode).toBe(201);
    const [unstarted, started, next] = [await t.program(), await t.program(), await t.program()];
    for (const [program, group] of [[unstarted, sales], [started, sales], [next, marketing]] as const) {
      expect((await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${group.id}` })).statusCode).toBe(200);
    }
    expect(await status(mover.id, unstarted.id)).toBe('enrolled');
    const step = await t.as(mover, { method: 'POST', url: `/api/v1/programs/${started.id}/steps/${started.stepIds[0]}/complete` });
    expect(step.statusCode).toBe(200);

    expect((await patchUser(mover.id, { department: `Marketing-${tag}` })).statusCode).toBe(200);
    expect(await learners(sales.id)).toEqual({});
    expect(await learners(marketing.id)).toEqual({ [mover.id]: 'rule' });
    expect(await status(mover.id, next.id)).toBe('enrolled');
    expect(await status(mover.id, unstarted.id)).toBe('withdrawn');
    expect(await status(mover.id, started.id)).toBe('in_progress');

    // A user created through the API with a matching profile is a learner (and enrolled) at once.
    const created = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: `new-${tag}@test.covey`, firstName: 'New', lastName: 'Hire', department: `Sales-${tag}` },
    });
    expect(created.statusCode).toBe(201);
    expect(await learners(sales.id)).toEqual({ [created.json().id]: 'rule' });
    expect(await status(created.json().id, unstarted.id)).toBe('enrolled');
  });

  it('previews who joins and who leaves without writing, then re-evaluates on edits and deletes', async () => {
    const group = await t.group();
    const tag = randomUUID().slice(0, 8);
    const s1 = await t.user('learner', { department: `S-${tag}`, country: `FR-${tag}` });
    const s2 = await t.user('learner', { department: `S-${tag}`, country: `BE-${tag}` });
    const m1 = await t.user('learner', { department: `M-${tag}`, country: `FR-${tag}`, attributes: { site: `Lyon-${tag}` } });
    const first = (await addRule(group.id, dept(`S-${tag}`))).json();
    expect(await learners(group.id)).toEqual({ [s1.id]: 'rule', [s2.id]: 'rule' });

    const byFrance: RuleExpression = { any: [{ attribute: 'country', op: 'eq', value: `fr-${tag}` }] };
    const before = await snapshot();
    const preview = await t.as(admin, { method: 'POST', url: rulesUrl(group.id, '/preview'), payload: { expression: byFrance, ruleId: first.id } });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ dryRun: true, joinCount: 1, leaveCount: 1, joins: [{ id: m1.id }], leaves: [{ id: s2.id }] });
    const dry = await t.as(admin, { method: 'PATCH', url: rulesUrl(group.id, `/${first.id}?dryRun=true`), payload: { expression: byFrance } });
    expect(dry.json()).toEqual(preview.json());
    const added = await addRule(group.id, { attribute: 'attributes.site', op: 'starts_with', value: 'lyon' }, admin, '?dryRun=true');
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ joinCount: 1, leaveCount: 0, joins: [{ id: m1.id }], leaves: [] });
    expect(await snapshot()).toEqual(before);

    // The edit does what the preview said.
    const edit = await t.as(admin, { method: 'PATCH', url: rulesUrl(group.id, `/${first.id}`), payload: { expression: byFrance } });
    expect(edit.statusCode).toBe(200);
    expect(edit.json()).toMatchObject({ memberCount: 2, explanation: expect.stringContaining(`country is "fr-${tag}"`) });
    expect(await learners(group.id)).toEqual({ [s1.id]: 'rule', [m1.id]: 'rule' });

    // A second rule; deleting the first keeps whom the second matches (now its members) and removes the rest.
    const second = (await addRule(group.id, dept(`S-${tag}`))).json();
    expect(await learners(group.id)).toEqual({ [s1.id]: 'rule', [s2.id]: 'rule', [m1.id]: 'rule' });
    expect((await t.as(admin, { method: 'DELETE', url: rulesUrl(group.id, `/${first.id}`) })).statusCode).toBe(204);
    expect(await learners(group.id)).toEqual({ [s1.id]: 'rule', [s2.id]: 'rule' });
    const owned = await t.db.prisma.membership.findMany({ where: { groupId: group.id } });
    expect(owned.map((m) => m.ruleId)).toEqual([second.id, second.id]);
    problem(await t.as(admin, { method: 'GET', url: rulesUrl(group.id, `/${first.id}`) }), 404);
  });

  it('answers 400 problem+json for invalid expressions and binds values as parameters', async () => {
    const group = await t.group();
    const deep: RuleExpression = { all: [{ all: [{ all: [{ all: [{ all: [{ all: [dept('x')] }] }] }] }] }] };
    for (const expression of [
      { attribute: 'password_hash', op: 'eq', value: 'x' },
      { attribute: 'country', op: 'in', value: 'FR' },
      { attribute: 'country', op: 'eq', value: ['FR'] },
      { attribute: 'country', op: 'exists', value: 'FR' },
      { attribute: 'country', op: 'like', value: 'F%' },
      { all: [] },
      { all: [dept('x')], any: [dept('y')] },
      { attribute: 'attributes.', op: 'exists' },
      deep,
    ]) {
      const body = problem(await addRule(group.id, expression), 400);
      expect(body.code).toBe('validation_failed');
    }
    problem(await t.as(admin, { method: 'POST', url: rulesUrl(group.id, '/preview'), payload: { expression: { any: 'x' } } }), 400);
    expect(await t.db.prisma.groupRule.count({ where: { groupId: group.id } })).toBe(0);

    const quote = `x' OR '1'='1`;
    await t.user('learner', { department: quote });
    const res = await addRule(group.id, { any: [dept(quote), { attribute: 'title', op: 'in', value: [quote, 'y'] }] });
    expect(res.statusCode).toBe(201);
    // Only the user whose department is literally the quote matches: the value was never SQL.
    expect(res.json()).toMatchObject({ memberCount: 1 });
    expect(res.json().explanation).toContain(`department is "${quote}" or title is one of "${quote}" or "y"`);
  });

  it('is a workspace admin’s tool: group admins and observers get 403, outsiders 404', async () => {
    const parent = await t.group();
    const group = await t.group(undefined, parent.id);
    const [groupAdmin, observer, outsider] = [await t.user(), await t.user(), await t.user()];
    await t.member(parent.id, groupAdmin.id, 'admin');
    await t.member(group.id, observer.id, 'observer');
    const res = await addRule(group.id, dept('Nobody'), admin);
    expect(res.statusCode).toBe(201);
    const ruleId = res.json().id;
    expect((await t.as(admin, { method: 'GET', url: rulesUrl(group.id) })).json().items).toHaveLength(1);
    // A group admin would read the whole directory through a rule's preview: refused, and nothing listed.
    const everyone = { expression: { attribute: 'email', op: 'exists' } };
    problem(await t.as(groupAdmin, { method: 'POST', url: rulesUrl(group.id, '/preview'), payload: everyone }), 403);
    problem(await addRule(group.id, dept('Nobody'), groupAdmin), 403);
    problem(await t.as(groupAdmin, { method: 'GET', url: rulesUrl(group.id) }), 403);
    problem(await addRule(group.id, dept('Nobody'), observer), 403);
    problem(await t.as(observer, { method: 'GET', url: rulesUrl(group.id) }), 403);
    problem(await t.as(observer, { method: 'DELETE', url: rulesUrl(group.id, `/${ruleId}`) }), 403);
    problem(await addRule(group.id, dept('Nobody'), outsider), 404);
    problem(await t.as(outsider, { method: 'GET', url: rulesUrl(group.id, `/${ruleId}/members`) }), 404);
    problem(await t.as(admin, { method: 'GET', url: rulesUrl(parent.id, `/${ruleId}`) }), 404);
  });

  it('applies a rule to 2,000 users set-based', async () => {
    const group = await t.group();
    const program = await t.program();
    expect((await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${group.id}` })).statusCode).toBe(200);
    const tag = randomUUID().slice(0, 8);
    await t.db.prisma.user.createMany({
      data: Array.from({ length: 2000 }, (_, i) => ({
        email: `bulk-${tag}-${i}@test.covey`,
        firstName: 'Bulk',
        lastName: `User ${i}`,
        department: i % 2 ? 'Ops' : 'Support',
        attributes: { costCenter: `CC-4${tag}-${i}` },
      })),
    });
    const expression: RuleExpression = {
      all: [
        { attribute: 'attributes.costCenter', op: 'starts_with', value: `cc-4${tag}` },
        { any: [dept('ops'), dept('SUPPORT')] },
      ],
    };
    const started = Date.now();
    const res = await addRule(group.id, expression);
    const elapsed = Date.now() - started;
    expect(res.statusCode).toBe(201);
    expect(res.json().memberCount).toBe(2000);
    expect(await t.db.prisma.membership.count({ where: { groupId: group.id, source: 'rule' } })).toBe(2000);
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id, status: 'enrolled' } })).toBe(2000);
    expect(elapsed).toBeLessThan(20_000);
  });
});
