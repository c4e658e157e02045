import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem, withAdmin, type TestContext, type TestUser } from './helpers.ts';

let t: TestContext;
let admin: TestUser;
beforeAll(async () => ({ t, admin } = await withAdmin()));
afterAll(async () => t?.close());

const url = (programId: string, rest = '') => `/api/v1/programs/${programId}${rest}`;
const assign = (programId: string, groupId: string, by: TestUser = admin) => t.as(by, { method: 'PUT', url: url(programId, `/groups/${groupId}`) });
const complete = (user: TestUser, programId: string, stepId: string) =>
  t.as(user, { method: 'POST', url: url(programId, `/steps/${stepId}/complete`) });
const patch = (user: TestUser, programId: string, payload: Record<string, unknown>) => t.as(user, { method: 'PATCH', url: url(programId), payload });
const steps = (...titles: string[]) => titles.map((title) => ({ title, content: `About ${title}` }));

async function outbox(type: string, programId: string) {
  const [row] = await t.db.prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM outbox_events WHERE type = ${type} AND payload->>'programId' = ${programId}`;
  return row!.n;
}

/** A published program assigned to a fresh group with `n` learners enrolled through the API. */
async function enrolledProgram(n = 1, data: Record<string, unknown> = {}) {
  const group = await t.group();
  const program = await t.program(data);
  const people = await Promise.all(Array.from({ length: n }, () => t.user('learner')));
  for (const p of people) await t.member(group.id, p.id, 'learner');
  expect((await assign(program.id, group.id)).json().enrolledCount).toBe(n);
  return { group, program, learners: people };
}

describe('creating programs', () => {
  it('lets a trainer create one (201 + Location) and stores the ordered steps', async () => {
    const trainer = await t.user('trainer');
    const res = await t.as(trainer, {
      method: 'POST',
      url: '/api/v1/programs',
      payload: { title: 'Onboarding', description: 'Day one', referentId: trainer.id, steps: steps('Welcome', 'Tools', 'Quiz') },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(res.headers.location).toBe(`/api/v1/programs/${body.id}`);
    expect(body).toMatchObject({
      title: 'Onboarding', description: 'Day one', status: 'draft', ongoing: false, groups: [],
      referent: { id: trainer.id, email: trainer.email },
    });
    expect(body.steps.map((s: { position: number; title: string }) => [s.position, s.title])).toEqual([[0, 'Welcome'], [1, 'Tools'], [2, 'Quiz']]);
    const stored = await t.db.prisma.program.findUniqueOrThrow({ where: { id: body.id }, include: { steps: true } });
    expect(stored).toMatchObject({ createdById: trainer.id, status: 'draft' });
    expect(stored.steps).toHaveLength(3);
    expect((await t.as(trainer, { method: 'GET', url: res.headers.location })).statusCode).toBe(200);
  });

  it('refuses learners with 403 and creates nothing', async () => {
    const learner = await t.user('learner');
    const title = `Nope ${randomUUID()}`;
    const res = await t.as(learner, { method: 'POST', url: '/api/v1/programs', payload: { title, steps: steps('A') } });
    expect(problem(res, 403).code).toBe('forbidden');
    expect(await t.db.prisma.program.count({ where: { title } })).toBe(0);
  });

  it('answers 400 problem+json with field errors for malformed bodies', async () => {
    const trainer = await t.user('trainer');
    const post = (payload: Record<string, unknown>) => t.as(trainer, { method: 'POST', url: '/api/v1/programs', payload });
    const cases: [Record<string, unknown>, string][] = [
      [{ steps: [] }, 'body.title'],
      [{ title: '   ' }, 'body.title'],
      [{ title: 'X', status: 'live' }, 'body.status'],
      [{ title: 'X', steps: [{ content: 'no title' }] }, 'body.steps.0.title'],
      [{ title: 'X', endsAt: 'tomorrow' }, 'body.endsAt'],
      [{ title: 'X', referentId: 'not-a-uuid' }, 'body.referentId'],
    ];
    for (const [payload, field] of cases) {
      const body = problem(await post(payload), 400);
      expect(body.code).toBe('validation_failed');
      expect(body.errors?.map((e) => e.field)).toContain(field);
    }
    expect(problem(await post({ title: 'X', colour: 'red' }), 400).code).toBe('validation_failed');
    expect(await t.db.prisma.program.count({ where: { createdById: trainer.id } })).toBe(0);
  });

  it('answers 422 for rules: endsAt before startsAt, unknown or inactive referent', async () => {
    const trainer = await t.user('trainer');
    const gone = await t.user('trainer', { status: 'deactivated' });
    const post = (payload: Record<string, unknown>) => t.as(trainer, { method: 'POST', url: '/api/v1/programs', payload: { title: 'Rules', ...payload } });
    const dates = problem(await post({ startsAt: '2030-02-01T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' }), 422);
    expect(dates.errors).toEqual([{ field: 'body.endsAt', message: expect.any(String) }]);
    expect(problem(await post({ referentId: randomUUID() }), 422).errors?.[0]?.field).toBe('body.referentId');
    expect(problem(await post({ referentId: gone.id }), 422).errors?.[0]?.field).toBe('body.referentId');
    expect(await t.db.prisma.program.count({ where: { createdById: trainer.id } })).toBe(0);

    const { program } = await enrolledProgram(0, { createdById: trainer.id, startsAt: new Date('2030-02-01T00:00:00Z') });
    expect(problem(await patch(trainer, program.id, { endsAt: '2030-01-15T00:00:00Z' }), 422).errors?.[0]?.field).toBe('body.endsAt');
    expect((await t.db.prisma.program.findUniqueOrThrow({ where: { id: program.id } })).endsAt).toBeNull();
  });
});

describe('listing and reading programs', () => {
  it('shows admins every program and trainers only theirs; learners get 403', async () => {
    const [mine, theirs] = await Promise.all([t.user('trainer'), t.user('trainer')]);
    const a = await t.program({ createdById: mine.id });
    const b = await t.program({ createdById: theirs.id });
    const c = await t.program({ createdById: theirs.id, referentId: mine.id });
    const ids = async (user: TestUser) => {
      const res = await t.as(user, { method: 'GET', url: '/api/v1/programs?limit=100' });
      expect(res.statusCode).toBe(200);
      return (res.json().items as { id: string }[]).map((p) => p.id);
    };
    expect((await ids(mine)).sort()).toEqual([a.id, c.id].sort());
    expect((await ids(theirs)).sort()).toEqual([b.id, c.id].sort());
    expect(await ids(admin)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
    expect(problem(await t.as(await t.user('learner'), { method: 'GET', url: '/api/v1/programs' }), 403).code).toBe('forbidden');
  });

  it('lets the enrolled learner, the referent, observers of assigned groups (or above) and admins read it; 404 to others', async () => {
    const referent = await t.user('trainer');
    const root = await t.group();
    const assigned = await t.group(undefined, root.id);
    const unrelated = await t.group();
    const program = await t.program({ referentId: referent.id });
    const [learner, observer, topObserver, outsider, otherObserver, otherTrainer] = await Promise.all([
      t.user('learner'), t.user('learner'), t.user('learner'), t.user('learner'), t.user('learner'), t.user('trainer'),
    ]);
    await t.member(assigned.id, learner.id, 'learner');
    await t.member(assigned.id, observer.id, 'observer');
    await t.member(root.id, topObserver.id, 'observer');
    await t.member(unrelated.id, outsider.id, 'learner');
    await t.member(unrelated.id, otherObserver.id, 'observer');
    await assign(program.id, assigned.id);

    for (const user of [learner, referent, observer, topObserver, admin]) {
      const res = await t.as(user, { method: 'GET', url: url(program.id) });
      expect(res.statusCode, user.email).toBe(200);
      expect(res.json()).toMatchObject({ id: program.id, groups: [{ id: assigned.id }], ongoing: true });
    }
    for (const user of [outsider, otherObserver, otherTrainer]) {
      expect(problem(await t.as(user, { method: 'GET', url: url(program.id) }), 404).code).toBe('program_not_found');
    }
    expect(problem(await t.as(admin, { method: 'GET', url: url(randomUUID()) }), 404).code).toBe('program_not_found');
    expect(problem(await t.as(admin, { method: 'GET', url: url('nope') }), 404).code).toBe('program_not_found');
  });

  it('renders step content as posts are: sanitized Markdown, the source kept', async () => {
    const content = '## Know your customer\n\nAsk **why**. <script>alert(1)</script> [more](javascript:alert(1))';
    const title = `Markdown ${randomUUID()}`;
    const { program, learners } = await enrolledProgram(1, { title, steps: { create: [{ position: 0, title: 'KYC', content }] } });
    const res = await t.as(learners[0]!, { method: 'GET', url: url(program.id) });
    expect(res.statusCode).toBe(200);
    const [step] = res.json().steps;
    expect(step.content).toMatch(/^## Know your customer/);
    expect(step.html).toContain('<h4>Know your customer</h4>');
    expect(step.html).toContain('<strong>why</strong>');
    expect(step.html).not.toMatch(/<script|javascript:/);
    const listed = await t.as(admin, { method: 'GET', url: `/api/v1/programs?q=${encodeURIComponent(title)}` });
    expect(listed.json().items[0].steps[0].html).toBe(step.html);
  });
});

describe('changing programs', () => {
  it('reorders, adds and removes steps, keeping step ids', async () => {
    const trainer = await t.user('trainer');
    const program = await t.program({ createdById: trainer.id });
    const [s1, s2, s3, s4] = program.stepIds;
    const res = await patch(trainer, program.id, {
      title: 'Renamed',
      steps: [{ id: s3, title: 'Third first' }, { id: s1, title: 'Step 1' }, { title: 'Brand new', content: 'x' }, { id: s4, title: 'Step 4' }],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.title).toBe('Renamed');
    expect(body.steps.map((s: { id: string; position: number }) => [s.position, s.id])).toEqual([
      [0, s3], [1, s1], [2, expect.any(String)], [3, s4],
    ]);
    expect(body.steps[2]).toMatchObject({ title: 'Brand new', content: 'x' });
    const stored = await t.db.prisma.programStep.findMany({ where: { programId: program.id }, orderBy: { position: 'asc' } });
    expect(stored.map((s) => s.id)).toEqual(body.steps.map((s: { id: string }) => s.id));
    expect(stored.map((s) => s.id)).not.toContain(s2);

    // The same step twice would silently drop one: refused.
    const twice = problem(await patch(trainer, program.id, { steps: [{ id: s1, title: 'A' }, { id: s1, title: 'A again' }] }), 422);
    expect(twice).toMatchObject({ code: 'invalid_reference', errors: [{ field: 'body.steps.1.id' }] });
    expect(await t.db.prisma.programStep.count({ where: { programId: program.id } })).toBe(4);

    const foreign = (await t.program()).stepIds[0];
    const bad = problem(await patch(trainer, program.id, { steps: [{ id: foreign, title: 'Stolen' }] }), 422);
    expect(bad).toMatchObject({ code: 'invalid_reference', errors: [{ field: 'body.steps.0.id' }] });
  });

  it('refuses to remove a completed step (409) and changes nothing', async () => {
    const { program, learners } = await enrolledProgram(1);
    const [learner] = learners;
    const [s1, s2, s3, s4] = program.stepIds;
    await complete(learner!, program.id, s2!);
    const res = await patch(admin, program.id, { title: 'Changed', steps: [{ id: s1, title: 'A' }, { id: s3, title: 'C' }, { id: s4, title: 'D' }] });
    expect(problem(res, 409).code).toBe('step_has_completions');
    const stored = await t.db.prisma.program.findUniqueOrThrow({ where: { id: program.id }, include: { steps: { orderBy: { position: 'asc' } } } });
    expect(stored.title).not.toBe('Changed');
    expect(stored.steps.map((s) => [s.id, s.title])).toEqual(program.stepIds.map((id, i) => [id, `Step ${i + 1}`]));
    expect(await t.db.prisma.stepCompletion.count({ where: { stepId: s2! } })).toBe(1);
  });

  it('recomputes progress when steps change', async () => {
    const { program, learners } = await enrolledProgram(1);
    const [learner] = learners;
    const [s1, s2, s3, s4] = program.stepIds;
    await complete(learner!, program.id, s1!);
    await complete(learner!, program.id, s2!);
    // Dropping the two untouched steps: the learner is done.
    const res = await patch(admin, program.id, { steps: [{ id: s1, title: 'A' }, { id: s2, title: 'B' }] });
    expect(res.statusCode).toBe(200);
    const done = await t.db.prisma.enrollment.findUniqueOrThrow({ where: { userId_programId: { userId: learner!.id, programId: program.id } } });
    expect(done).toMatchObject({ status: 'completed', progress: 100 });
    expect(done.completedAt).toBeInstanceOf(Date);
    expect(await outbox('enrollment.completed', program.id)).toBe(1);
    void s3;
    void s4;
  });

  it('lets only admins and the program’s trainer change, assign or delete it', async () => {
    const owner = await t.user('trainer');
    const stranger = await t.user('trainer');
    const group = await t.group();
    const learner = await t.user('learner');
    await t.member(group.id, learner.id, 'learner');
    const program = await t.program({ createdById: owner.id });
    expect((await assign(program.id, group.id, owner)).json()).toMatchObject({ assigned: true, enrolledCount: 1 });
    expect(problem(await patch(stranger, program.id, { title: 'Mine now' }), 404).code).toBe('program_not_found');
    expect(problem(await assign(program.id, group.id, stranger), 404).code).toBe('program_not_found');
    // The enrolled learner sees the program but may not change it.
    expect(problem(await patch(learner, program.id, { title: 'Mine now' }), 403).code).toBe('forbidden');
    expect(problem(await assign(program.id, group.id, learner), 403).code).toBe('forbidden');
    expect(problem(await t.as(learner, { method: 'DELETE', url: url(program.id) }), 403).code).toBe('forbidden');
    expect((await t.db.prisma.program.findUniqueOrThrow({ where: { id: program.id } })).title).not.toBe('Mine now');
    expect((await patch(owner, program.id, { title: 'Owner edit' })).json().title).toBe('Owner edit');
  });

  it('deletes a program nobody started, refuses (409) one with progress', async () => {
    const { program, learners } = await enrolledProgram(2);
    await complete(learners[0]!, program.id, program.stepIds[0]!);
    expect(problem(await t.as(admin, { method: 'DELETE', url: url(program.id) }), 409).code).toBe('program_has_progress');
    expect(await t.db.prisma.program.count({ where: { id: program.id } })).toBe(1);
    expect(await t.db.prisma.enrollment.count({ where: { programId: program.id } })).toBe(2);

    const { program: fresh } = await enrolledProgram(1);
    expect((await t.as(admin, { method: 'DELETE', url: url(fresh.id) })).statusCode).toBe(204);
    expect(await t.db.prisma.program.count({ where: { id: fresh.id } })).toBe(0);
    expect(await t.db.prisma.enrollment.count({ where: { programId: fresh.id } })).toBe(0);
    expect(problem(await t.as(admin, { method: 'GET', url: url(fresh.id) }), 404).code).toBe('program_not_found');
  });
});

describe('progress', () => {
  it('moves through 25/50/75/100, in_progress then completed, idempotently', async () => {
    const { program, learners } = await enrolledProgram(1);
    const [learner] = learners;
    const expected = [
      [25, 'in_progress'], [50, 'in_progress'], [75, 'in_progress'], [100, 'completed'],
    ] as const;
    // Out of order on purpose: progress counts steps, not positions.
    const order = [2, 0, 3, 1];
    for (const [i, index] of order.entries()) {
      const res = await complete(learner!, program.id, program.stepIds[index]!);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ programId: program.id, stepId: program.stepIds[index], progress: expected[i]![0], status: expected[i]![1] });
      if (i < 3) expect(body.completedAt).toBeNull();
      else expect(Date.parse(body.completedAt)).not.toBeNaN();
      if (i < 3) expect(await outbox('enrollment.completed', program.id)).toBe(0);
    }
    const first = (await complete(learner!, program.id, program.stepIds[0]!)).json();
    expect(first).toMatchObject({ progress: 100, status: 'completed' });
    expect(await t.db.prisma.stepCompletion.count({ where: { userId: learner!.id, stepId: { in: program.stepIds } } })).toBe(4);
    expect(await outbox('enrollment.completed', program.id)).toBe(1);
    const row = await t.db.prisma.enrollment.findUniqueOrThrow({ where: { userId_programId: { userId: learner!.id, programId: program.id } } });
    expect(row.completedAt?.toISOString()).toBe(first.completedAt);
    expect(row.startedAt).toBeInstanceOf(Date);
  });

  it('answers 422 not_enrolled, 404 for unknown steps and for programs the caller cannot see', async () => {
    const referent = await t.user('trainer');
    const { group, program, learners } = await enrolledProgram(1, { referentId: referent.id });
    const other = await t.program();
    const observer = await t.user('learner');
    await t.member(group.id, observer.id, 'observer');
    const outsider = await t.user('learner');

    for (const user of [referent, observer]) {
      expect(problem(await complete(user, program.id, program.stepIds[0]!), 422).code).toBe('not_enrolled');
    }
    expect(problem(await complete(learners[0]!, program.id, randomUUID()), 404).code).toBe('step_not_found');
    expect(problem(await complete(learners[0]!, program.id, other.stepIds[0]!), 404).code).toBe('step_not_found');
    expect(problem(await complete(learners[0]!, program.id, 'nope'), 404).code).toBe('step_not_found');
    expect(problem(await complete(outsider, program.id, program.stepIds[0]!), 404).code).toBe('program_not_found');
    expect(problem(await complete(outsider, randomUUID(), program.stepIds[0]!), 404).code).toBe('program_not_found');
    expect(await t.db.prisma.stepCompletion.count({ where: { stepId: { in: [...program.stepIds, ...other.stepIds] } } })).toBe(0);
  });

  it('refuses a withdrawn learner with 422', async () => {
    const { group, program, learners } = await enrolledProgram(1);
    const [learner] = learners;
    const res = await t.as(admin, { method: 'DELETE', url: `/api/v1/groups/${group.id}/members/${learner!.id}` });
    expect(res.statusCode).toBe(204);
    expect(problem(await complete(learner!, program.id, program.stepIds[0]!), 422).code).toBe('not_enrolled');
    expect(await t.db.prisma.stepCompletion.count({ where: { userId: learner!.id } })).toBe(0);
  });

  it('lists my programs in progress first, then not started, then completed; never withdrawn ones', async () => {
    const learner = await t.user('learner');
    const group = await t.group();
    const left = await t.group();
    await t.member(group.id, learner.id, 'learner');
    const [done, todo, doing, gone] = await Promise.all([
      t.program({ title: 'A done' }), t.program({ title: 'B todo' }), t.program({ title: 'C doing' }), t.program({ title: 'D gone' }),
    ]);
    for (const p of [done, todo, doing]) await assign(p.id, group.id);
    await assign(gone.id, left.id);
    await t.as(admin, { method: 'PUT', url: `/api/v1/groups/${left.id}/members/${learner.id}`, payload: { roles: ['learner'] } });
    await t.as(admin, { method: 'PUT', url: `/api/v1/groups/${left.id}/members/${learner.id}`, payload: { roles: [] } });
    for (const s of done.stepIds) await complete(learner, done.id, s);
    await complete(learner, doing.id, doing.stepIds[1]!);

    const res = await t.as(learner, { method: 'GET', url: '/api/v1/me/programs' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { program: { id: string; stepCount: number }; status: string; progress: number; completedStepIds: string[] }[];
    expect(items.map((i) => [i.program.id, i.status, i.progress])).toEqual([
      [doing.id, 'in_progress', 25], [todo.id, 'enrolled', 0], [done.id, 'completed', 100],
    ]);
    expect(items[0]).toMatchObject({ program: { stepCount: 4 }, completedStepIds: [doing.stepIds[1]] });
  });
});

describe('enrollment lists', () => {
  it('shows observers only the learners of the groups they cover; the referent and admins see all', async () => {
    const referent = await t.user('trainer');
    const a = await t.group('A');
    const a1 = await t.group('A1', a.id);
    const b = await t.group('B');
    const program = await t.program({ referentId: referent.id });
    const [la, la1, lb, observerA, observerB1] = await Promise.all([
      t.user('learner'), t.user('learner'), t.user('learner'), t.user('learner'), t.user('learner'),
    ]);
    await t.member(a.id, la.id, 'learner');
    await t.member(a1.id, la1.id, 'learner');
    await t.member(b.id, lb.id, 'learner');
    await t.member(a.id, observerA.id, 'observer');
    await t.member(b.id, observerB1.id, 'observer');
    await assign(program.id, a.id);
    await assign(program.id, b.id);
    const outsider = await t.user('learner');

    const seen = async (user: TestUser) => {
      const res = await t.as(user, { method: 'GET', url: url(program.id, '/enrollments') });
      expect(res.statusCode, user.email).toBe(200);
      return (res.json().items as { user: { id: string }; sources: { groupId: string }[] }[]).map((e) => e.user.id).sort();
    };
    expect(await seen(observerA)).toEqual([la.id, la1.id].sort());
    expect(await seen(observerB1)).toEqual([lb.id]);
    const all = [la.id, la1.id, lb.id].sort();
    expect(await seen(referent)).toEqual(all);
    expect(await seen(admin)).toEqual(all);
    expect(problem(await t.as(la, { method: 'GET', url: url(program.id, '/enrollments') }), 403).code).toBe('forbidden');
    expect(problem(await t.as(outsider, { method: 'GET', url: url(program.id, '/enrollments') }), 404).code).toBe('program_not_found');

    const page = await t.as(admin, { method: 'GET', url: url(program.id, '/enrollments?limit=2') });
    expect(page.json().items).toHaveLength(2);
    expect(page.json().nextCursor).toEqual(expect.any(String));
    const rest = await t.as(admin, { method: 'GET', url: url(program.id, `/enrollments?limit=2&cursor=${encodeURIComponent(page.json().nextCursor)}`) });
    expect(rest.json().items).toHaveLength(1);
    expect(rest.json().nextCursor).toBeNull();
  });
});

describe('concurrent progress', () => {
  it('counts every step when a learner completes several at once', async () => {
    const { program, learners } = await enrolledProgram(1);
    const results = await Promise.all(program.stepIds.map((s) => complete(learners[0]!, program.id, s)));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const row = await t.db.prisma.enrollment.findUniqueOrThrow({ where: { userId_programId: { userId: learners[0]!.id, programId: program.id } } });
    expect(row).toMatchObject({ status: 'completed', progress: 100 });
    expect(results.map((r) => r.json().progress as number).sort((x, y) => x - y)).toEqual([25, 50, 75, 100]);
    expect(await outbox('enrollment.completed', program.id)).toBe(1);
  });
});
