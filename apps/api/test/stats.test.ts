import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, parseCsv, problem, type TestContext, type TestUser } from './helpers.ts';

/**
 * Statistics on a small tree with answers computed by hand:
 *   Root (observer: obsRoot; learner: r1) ─ A (observer: obsA, admin: gadminA; learners: a1 a2 a3) ─ A1 (learners: a4 a5)
 *                                        └ B (observer: obsB; learners: b1 b2)
 * P "Pathway" (4 steps, referent ref) is assigned to A and runs from 10 days ago to 10 days ahead (half elapsed);
 * Q "Quest" (4 steps, no dates) is assigned to Root.
 *
 *   learner  group  last login  last activity  P steps (progress)  Q steps (progress)
 *   a1       A      1 day ago   1 day ago      4 (100, completed)  1 (25)
 *   a2       A      20          3              3 (75)              0
 *   a3       A      10          10             1 (25, behind)      0
 *   a4       A1     40          40             0 (behind)          4 (100, completed 3 weeks ago)
 *   a5       A1     never       never          0 (behind)          0
 *   b1       B      2           2              -                   2 (50)
 *   b2       B      never       never          -                   0
 *   r1       Root   25          25             -                   0
 */
let t: TestContext;
let admin: TestUser, ref: TestUser, obsRoot: TestUser, obsA: TestUser, obsB: TestUser, gadminA: TestUser, outsider: TestUser;
let a1: TestUser, a2: TestUser, a3: TestUser, a4: TestUser, a5: TestUser, b1: TestUser, b2: TestUser, r1: TestUser;
let root: { id: string }, A: { id: string }, A1: { id: string }, B: { id: string };
let P: { id: string; stepIds: string[] }, Q: { id: string; stepIds: string[] };

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
/** Monday (UTC) of the ISO week `weeksAgo` weeks before this one, plus `plusDays`. */
const mondayOf = (weeksAgo: number, plusDays = 0) => {
  const d = new Date();
  const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  x.setUTCDate(x.getUTCDate() - ((x.getUTCDay() + 6) % 7) - 7 * weeksAgo + plusDays);
  return x;
};
const ymd = (d: Date) => d.toISOString().slice(0, 10);
const byId = (x: TestUser, y: TestUser) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

beforeAll(async () => {
  t = await createTestContext();
  const learner = (firstName: string, lastName: string) => t.user('learner', { firstName, lastName });
  [admin, ref, obsRoot, obsA, obsB, gadminA, outsider] = await Promise.all([
    t.user('admin'), t.user('trainer'), t.user('learner'), t.user('learner'), t.user('learner'), t.user('learner'), t.user('learner'),
  ]);
  a1 = await learner('Ada', 'Moreau');
  a2 = await learner('Bruno', 'Lefevre');
  a3 = await learner('Chloe', 'Bernard');
  a4 = await learner('Denis', 'Petit');
  a5 = await learner('Emma', 'Durand');
  b1 = await learner('Farid', 'Roux');
  b2 = await learner('Gina', 'Garnier');
  r1 = await learner('=cmd|"x",1', 'Vincent');
  root = await t.group('Root');
  A = await t.group('A', root.id);
  A1 = await t.group('A1', A.id);
  B = await t.group('B', root.id);
  await t.member(root.id, obsRoot.id, 'observer');
  await t.member(A.id, obsA.id, 'observer');
  await t.member(A.id, gadminA.id, 'admin');
  await t.member(B.id, obsB.id, 'observer');
  for (const [g, users] of [[A, [a1, a2, a3]], [A1, [a4, a5]], [B, [b1, b2]], [root, [r1]]] as const)
    for (const u of users) await t.member(g.id, u.id, 'learner');
  P = await t.program({ title: 'Pathway', referentId: ref.id, startsAt: daysAgo(10), endsAt: daysAgo(-10) });
  Q = await t.program({ title: 'Quest' });
  for (const [program, group] of [[P, A], [Q, root]] as const)
    expect((await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${group.id}` })).statusCode).toBe(200);
  const done: [TestUser, { id: string; stepIds: string[] }, number][] = [[a1, P, 4], [a1, Q, 1], [a2, P, 3], [a3, P, 1], [a4, Q, 4], [b1, Q, 2]];
  for (const [u, program, n] of done)
    for (const step of program.stepIds.slice(0, n)) {
      const res = await t.as(u, { method: 'POST', url: `/api/v1/programs/${program.id}/steps/${step}/complete` });
      expect(res.statusCode).toBe(200);
    }

  // Requests touched the learners: flush, then set the known values.
  await t.app.flushActivity();
  const seen: [TestUser, number | null, number | null][] = [[a1, 1, 1], [a2, 20, 3], [a3, 10, 10], [a4, 40, 40], [a5, null, null], [b1, 2, 2], [b2, null, null], [r1, 25, 25]];
  for (const [u, login, activity] of seen)
    await t.db.prisma.user.update({
      where: { id: u.id },
      data: { lastLoginAt: login === null ? null : daysAgo(login), lastActivityAt: activity === null ? null : daysAgo(activity) },
    });
  await t.db.prisma.enrollment.update({ where: { userId_programId: { userId: a4.id, programId: Q.id } }, data: { completedAt: mondayOf(3, 1) } });
  await t.db.prisma.activityDay.deleteMany();
  // a1 is the only fixture learner who makes requests later: its row for today would be written by a flush anyway.
  const days: [TestUser, Date][] = [
    [a1, new Date()], [a1, mondayOf(1)], [a1, mondayOf(2)], [a1, mondayOf(5)],
    [a2, mondayOf(0)], [a2, mondayOf(1)], [a2, mondayOf(1, 1)],
    [b1, mondayOf(3)],
    [a4, mondayOf(11)], [a4, mondayOf(12)],
    [outsider, mondayOf(0)], [obsRoot, mondayOf(1)],
  ];
  await t.db.prisma.activityDay.createMany({ data: days.map(([u, d]) => ({ userId: u.id, day: new Date(ymd(d)) })) });
});
afterAll(async () => t?.close());

const get = (user: TestUser | null, url: string, headers: Record<string, string> = {}) => t.as(user, { method: 'GET', url, headers });
type Row = { user: { id: string; email: string; firstName: string; lastName: string }; programs: number; averageProgress: number; completed: number; lastLoginAt: string | null; lastActivityAt: string | null; groups: { id: string; name: string }[] };

/** Every row of a learner listing, following nextCursor page by page. */
async function walk(group: string, query: string, limit = 2) {
  const rows: Row[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 20; pages += 1) {
    const res = await get(obsRoot, `/api/v1/groups/${group}/stats/learners?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ items: Row[]; nextCursor: string | null }>();
    expect(body.items.length).toBeLessThanOrEqual(limit);
    rows.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return rows;
  }
  throw new Error('pagination did not end');
}
const ids = (rows: Row[]) => rows.map((r) => r.user.id);
const set = (...users: TestUser[]) => users.map((u) => u.id).sort();

describe('group statistics', () => {
  it('Root: every number equals the hand computation, over the whole subtree', async () => {
    const res = await get(obsRoot, `/api/v1/groups/${root.id}/stats`);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s).toMatchObject({
      groupId: root.id,
      members: 8,
      active7d: 3, // a1, a2 (activity 3 days ago), b1
      active30d: 5, // + a3, r1
      neverLoggedIn: 2, // a5, b2
      enrollments: 13, // P: 5 learners of A and A1, Q: all 8
      completed: 2,
      completionRate: 0.1538, // 2 / 13
      averageProgress: 28.8, // (200 + 175) / 13
    });
    expect(s.programs).toEqual([
      { programId: P.id, title: 'Pathway', enrolled: 5, notStarted: 2, inProgress: 2, completed: 1, behind: 3, completionRate: 0.2, averageProgress: 40 },
      { programId: Q.id, title: 'Quest', enrolled: 8, notStarted: 5, inProgress: 2, completed: 1, behind: 0, completionRate: 0.125, averageProgress: 21.9 },
    ]);
  });

  it('A: includes A1’s learners and excludes B’s and Root’s own', async () => {
    const s = (await get(obsA, `/api/v1/groups/${A.id}/stats`)).json();
    expect(s).toMatchObject({ members: 5, active7d: 2, active30d: 3, neverLoggedIn: 1, enrollments: 10, completed: 2, completionRate: 0.2, averageProgress: 32.5 });
    expect(s.programs.map((p: { title: string; enrolled: number; notStarted: number; inProgress: number; completed: number; behind: number; averageProgress: number }) =>
      [p.title, p.enrolled, p.notStarted, p.inProgress, p.completed, p.behind, p.averageProgress])).toEqual([
      ['Pathway', 5, 2, 2, 1, 3, 40],
      ['Quest', 5, 3, 1, 1, 0, 25],
    ]);
    const leaf = (await get(obsA, `/api/v1/groups/${A1.id}/stats`)).json();
    expect(leaf).toMatchObject({ members: 2, neverLoggedIn: 1, enrollments: 4, completed: 1 });
    const b = (await get(obsB, `/api/v1/groups/${B.id}/stats`)).json();
    // B is not under A: P does not reach it.
    expect(b).toMatchObject({ members: 2, active7d: 1, enrollments: 2, completed: 0, averageProgress: 25 });
    expect(b.programs.map((p: { title: string }) => p.title)).toEqual(['Quest']);
  });

  it('weekly series: 12 Monday-started weeks, oldest first, counting learners’ activity days and completions', async () => {
    const weekly = (await get(obsRoot, `/api/v1/groups/${root.id}/stats`)).json().weekly as { weekStart: string; activeLearners: number; completions: number }[];
    expect(weekly.map((w) => w.weekStart)).toEqual(Array.from({ length: 12 }, (_, i) => ymd(mondayOf(11 - i))));
    for (const w of weekly) expect(new Date(`${w.weekStart}T00:00:00Z`).getUTCDay()).toBe(1);
    const at = (k: number) => weekly[11 - k]!;
    // Outsiders and observers do not count; a2's two days in one week count once; a4's 12-weeks-ago day is out.
    expect(weekly.map((w) => w.activeLearners)).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 1, 1, 2, 2]);
    expect([at(0).completions, at(3).completions]).toEqual([1, 1]);
    expect(weekly.reduce((n, w) => n + w.completions, 0)).toBe(2);
    const inB = (await get(obsB, `/api/v1/groups/${B.id}/stats`)).json().weekly as { activeLearners: number; completions: number }[];
    expect(inB.map((w) => w.activeLearners)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(inB.every((w) => w.completions === 0)).toBe(true);
  });

  it('observers of the group or an ancestor, group admins and admins see it; others 403/404/401', async () => {
    for (const who of [obsA, obsRoot, gadminA, admin]) expect((await get(who, `/api/v1/groups/${A.id}/stats`)).statusCode, who.email).toBe(200);
    expect((await get(gadminA, `/api/v1/groups/${A1.id}/stats`)).statusCode).toBe(200);
    expect(problem(await get(obsB, `/api/v1/groups/${A.id}/stats`), 404).code).toBe('group_not_found');
    expect(problem(await get(a1, `/api/v1/groups/${A.id}/stats`), 403).code).toBe('forbidden');
    expect(problem(await get(outsider, `/api/v1/groups/${A.id}/stats`), 404).code).toBe('group_not_found');
    problem(await get(null, `/api/v1/groups/${A.id}/stats`), 401);
    problem(await get(admin, `/api/v1/groups/${randomUUID()}/stats`), 404);
    problem(await get(obsB, `/api/v1/groups/${A.id}/stats/learners`), 404);
    problem(await get(a1, `/api/v1/groups/${A.id}/stats/learners`), 403);
  });
});

describe('learner rows', () => {
  it('one row per learner of the subtree with programs, progress, completions and dates', async () => {
    const rows = await walk(root.id, '', 50);
    const of = (u: TestUser) => rows.find((r) => r.user.id === u.id)!;
    expect(rows).toHaveLength(8);
    expect(of(a1)).toMatchObject({ programs: 2, averageProgress: 62.5, completed: 1, user: { firstName: 'Ada', lastName: 'Moreau' } });
    expect(of(a4)).toMatchObject({ programs: 2, averageProgress: 50, completed: 1 });
    expect(of(b1)).toMatchObject({ programs: 1, averageProgress: 50, completed: 0 });
    expect(of(a5)).toMatchObject({ programs: 2, averageProgress: 0, lastLoginAt: null, lastActivityAt: null });
    expect(Date.parse(of(r1).lastLoginAt!)).toBeLessThan(daysAgo(24).getTime());
    expect(ids(await walk(A.id, '', 50)).sort()).toEqual(set(a1, a2, a3, a4, a5));
  });

  it('segments return exactly the expected learners', async () => {
    const seg = async (group: string, q: string) => ids(await walk(group, q, 50)).sort();
    // Inactive reads activity, as the cards and charts do: a2 last signed in 20 days ago but was active 3 days ago.
    expect(await seg(root.id, 'segment=inactive')).toEqual(set(a4, a5, b2, r1)); // no activity in 14 days, or never
    expect(await seg(root.id, 'segment=inactive&inactiveDays=7')).toEqual(set(a3, a4, a5, b2, r1));
    expect(await seg(root.id, 'segment=inactive&inactiveDays=30')).toEqual(set(a4, a5, b2));
    expect(await seg(A.id, 'segment=inactive')).toEqual(set(a4, a5));
    expect(await seg(root.id, 'segment=not_started')).toEqual(set(a2, a3, a4, a5, b2, r1));
    expect(await seg(root.id, 'segment=behind')).toEqual(set(a3, a4, a5)); // P half elapsed: 25 and 0 are behind, 75 and 100 not
    expect(await seg(B.id, 'segment=behind')).toEqual([]);
    expect(await seg(root.id, `segment=not_started&programId=${P.id}`)).toEqual(set(a4, a5));
  });

  it('sorts by name, last login and progress both ways, and limit=2 pages walk every row once in order', async () => {
    const expected: Record<string, TestUser[]> = {
      name: [a3, a5, b2, a2, a1, a4, b1, r1], // Bernard, Durand, Garnier, Lefevre, Moreau, Petit, Roux, Vincent
      lastLogin: [...[a5, b2].sort(byId), a4, r1, a2, a3, b1, a1], // never first, then oldest
      progress: [...[a5, b2, r1].sort(byId), a3, a2, ...[a4, b1].sort(byId), a1], // 0, 12.5, 37.5, 50, 62.5
    };
    for (const [sort, order] of Object.entries(expected)) {
      const asc = order.map((u) => u.id);
      expect(ids(await walk(root.id, `sort=${sort}&order=asc`)), sort).toEqual(asc);
      expect(ids(await walk(root.id, `sort=${sort}&order=desc`)), sort).toEqual([...asc].reverse());
    }
  });

  it('Accept: text/csv exports the same rows, quoted, with formulas neutralised', async () => {
    await t.app.flushActivity();
    const json = await walk(root.id, '', 500);
    const res = await get(obsRoot, `/api/v1/groups/${root.id}/stats/learners`, { accept: 'text/csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(res.body);
    expect(header).toEqual(['user_id', 'email', 'first_name', 'last_name', 'groups', 'programs', 'average_progress', 'completed', 'last_login_at', 'last_activity_at']);
    const neutral = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);
    expect(rows).toEqual(
      json.map((r) => [r.user.id, r.user.email, neutral(r.user.firstName), r.user.lastName, r.groups.map((g) => g.name).join('; '), String(r.programs), String(r.averageProgress), String(r.completed), r.lastLoginAt ?? '', r.lastActivityAt ?? '']),
    );
    expect(rows.find((r) => r[0] === r1.id)![2]).toBe(`'=cmd|"x",1`);
    expect(res.body).toContain(`"'=cmd|""x"",1"`);
    const behind = parseCsv((await get(obsRoot, `/api/v1/groups/${root.id}/stats/learners?segment=behind`, { accept: 'text/csv' })).body);
    expect(behind.slice(1).map((r) => r[0]).sort()).toEqual(set(a3, a4, a5));
    problem(await get(obsB, `/api/v1/groups/${root.id}/stats/learners`, { accept: 'text/csv' }), 404);
  });
});

describe('program statistics', () => {
  it('the referent sees them; an outsider gets 404 and an enrolled learner 403', async () => {
    const res = await get(ref, `/api/v1/programs/${P.id}/stats`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ programId: P.id, enrolled: 5, notStarted: 2, inProgress: 2, completed: 1, behind: 3, completionRate: 0.2, averageProgress: 40 });
    expect(res.json().groups).toEqual([{ groupId: A.id, name: 'A', enrolled: 5, completed: 1, averageProgress: 40 }]);
    expect(problem(await get(outsider, `/api/v1/programs/${P.id}/stats`), 404).code).toBe('program_not_found');
    expect(problem(await get(a1, `/api/v1/programs/${P.id}/stats`), 403).code).toBe('forbidden');
  });
});

describe('my statistics and activity', () => {
  it('a learner sees counts, steps done, progress per program and the streak of active weeks', async () => {
    const res = await get(a1, '/api/v1/me/stats');
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s).toMatchObject({ programs: { enrolled: 2, inProgress: 1, completed: 1 }, stepsDone: 5, activeWeeksStreak: 3 });
    expect(s.perProgram).toMatchObject([
      { programId: P.id, status: 'completed', progress: 100, stepsDone: 4, stepCount: 4 },
      { programId: Q.id, status: 'in_progress', progress: 25, stepsDone: 1, stepCount: 4, completedAt: null },
    ]);
    expect(Date.parse(s.lastLoginAt)).toBeLessThan(Date.now() - DAY / 2);
    // a2 was active this week and last week only.
    expect((await get(a2, '/api/v1/me/stats')).json().activeWeeksStreak).toBe(2);
  });

  it('touchActivity is coalesced: one activity_days row per user and day, last_activity_at set on flush', async () => {
    const [x, y] = await Promise.all([t.user('learner'), t.user('learner')]);
    for (let i = 0; i < 5; i += 1) t.app.touchActivity(x.id);
    t.app.touchActivity(y.id);
    const before = Date.now();
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: x.id } })).lastActivityAt).toBeNull();
    await t.app.flushActivity();
    for (const u of [x, y]) {
      const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id } });
      expect(row.lastActivityAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    }
    t.app.touchActivity(x.id);
    await t.app.flushActivity();
    const days = await t.db.prisma.activityDay.findMany({ where: { userId: { in: [x.id, y.id] } } });
    expect(days.map((d) => [d.userId, ymd(d.day)]).sort()).toEqual([[x.id, ymd(new Date())], [y.id, ymd(new Date())]].sort());
  });

  it('a user deleted between a touch and the flush does not hold back the others', async () => {
    const [x, gone] = await Promise.all([t.user('learner'), t.user('learner')]);
    t.app.touchActivity(x.id);
    t.app.touchActivity(gone.id);
    await t.db.query('DELETE FROM users WHERE id = $1', [gone.id]);
    await t.app.flushActivity();
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: x.id } })).lastActivityAt).not.toBeNull();
    expect(await t.db.prisma.activityDay.count({ where: { userId: x.id } })).toBe(1);
  });

  it('keeps each user’s active weeks (what the weekly series reads) exact as activity days come and go', async () => {
    const x = await t.user('learner');
    const weeks = async () => (await t.db.prisma.user.findUniqueOrThrow({ where: { id: x.id } })).activeWeeks.map(ymd);
    t.app.touchActivity(x.id);
    await t.app.flushActivity();
    expect(await weeks()).toEqual([ymd(mondayOf(0))]);
    // Two days of one week count once; a day older than a year is not kept; weeks stay sorted.
    const old = new Date(Date.now() - 400 * DAY);
    await t.db.prisma.activityDay.createMany({ data: [mondayOf(2), mondayOf(2, 1), mondayOf(5), old].map((d) => ({ userId: x.id, day: new Date(ymd(d)) })) });
    expect(await weeks()).toEqual([mondayOf(5), mondayOf(2), mondayOf(0)].map(ymd));
    await t.db.prisma.activityDay.deleteMany({ where: { userId: x.id, day: new Date(ymd(mondayOf(2))) } });
    expect(await weeks()).toEqual([mondayOf(5), mondayOf(2), mondayOf(0)].map(ymd)); // the week's other day remains
    await t.db.prisma.activityDay.deleteMany({ where: { userId: x.id, day: { gte: new Date(ymd(mondayOf(2))), lt: new Date(ymd(mondayOf(1))) } } });
    expect(await weeks()).toEqual([mondayOf(5), mondayOf(0)].map(ymd));
    // Removing the user takes its days with it, without tripping over the row being removed.
    await t.db.query('DELETE FROM users WHERE id = $1', [x.id]);
    expect(await t.db.prisma.activityDay.count({ where: { userId: x.id } })).toBe(0);
  });
});

describe('learners CSV, written by the database', () => {
  /** The CSV field the export promises: formulas neutralised, then quoted when needed. */
  const field = (value: string | number) => {
    const text = String(value);
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };

  it('writes every line as the rows of the table read, fields quoted and neutralised, averages rounded half up', async () => {
    const group = await t.group('Edge, "quoted" group', root.id);
    const other = await t.group('Edge; other', group.id);
    const names: [string, string][] = [['\tTab', '-5'], ['Line\nbreak', '+plus'], ['Carriage\rreturn', '@at'], ['Plain', 'Comma, "quote"']];
    const users: TestUser[] = [];
    for (const [first, last] of names) {
      const u = await t.user('learner');
      await t.db.query('UPDATE users SET first_name = $2, last_name = $3, last_login_at = $4 WHERE id = $1', [u.id, first, last, new Date('2026-01-02T03:04:05.006Z')]);
      users.push(u);
    }
    for (const u of users) await t.member(group.id, u.id, 'learner');
    await t.member(other.id, users[0]!.id, 'learner');
    const programs = [];
    for (let i = 0; i < 4; i++) {
      const p = await t.program({ title: `Edge ${i}` });
      expect((await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${p.id}/groups/${group.id}` })).statusCode).toBe(200);
      programs.push(p);
    }
    // Averages 0.25, 25, 25.25 and 33.5: rounded half up to 0.3, 25, 25.3 and 33.5.
    const progress = [[1, 0, 0, 0], [0, 50, 50, 0], [0, 50, 50, 1], [34, 33, 33, 34]];
    for (const [i, u] of users.entries())
      for (const [j, p] of programs.entries())
        await t.db.query('UPDATE enrollments SET progress = $3 WHERE user_id = $1 AND program_id = $2', [u.id, p.id, progress[i]![j]]);

    for (const query of ['', 'sort=progress&order=desc']) {
      const json = await walk(group.id, query, 500);
      expect(json.map((r) => r.averageProgress).sort((x, y) => x - y)).toEqual([0.3, 25, 25.3, 33.5]);
      const res = await get(admin, `/api/v1/groups/${group.id}/stats/learners${query ? `?${query}` : ''}`, { accept: 'text/csv' });
      expect(res.statusCode).toBe(200);
      const lines = json.map(
        (r) =>
          [r.user.id, r.user.email, r.user.firstName, r.user.lastName, r.groups.map((g) => g.name).join('; '), r.programs, r.averageProgress, r.completed, r.lastLoginAt ?? '', r.lastActivityAt ?? '']
            .map(field)
            .join(',') + '\n',
      );
      expect(res.body).toBe(`user_id,email,first_name,last_name,groups,programs,average_progress,completed,last_login_at,last_activity_at\n${lines.join('')}`);
    }
    expect(await walk(group.id, '', 500).then((rows) => rows.find((r) => r.user.id === users[0]!.id)!.lastLoginAt)).toBe('2026-01-02T03:04:05.006Z');
  });
});
