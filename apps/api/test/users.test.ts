import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, PASSWORD, problem, type TestContext, type TestUser } from './helpers.ts';

let t: TestContext;
let owner: TestUser;
let admin: TestUser;
beforeAll(async () => {
  t = await createTestContext();
  owner = await t.user('owner');
  admin = await t.user('admin');
});
afterAll(async () => t?.close());

const unique = (prefix = 'p') => `${prefix}-${randomUUID().slice(0, 8)}`;
const newEmail = () => `${unique('new')}@test.covey`;
const post = (as: TestUser | null, payload: unknown) => t.as(as, { method: 'POST', url: '/api/v1/users', payload: payload as object });
const login = (email: string, password = PASSWORD) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
const countUsers = () => t.db.prisma.user.count();

describe('POST /users', () => {
  it('creates a user: 201, Location, body, stored lower-cased', async () => {
    const email = newEmail();
    const res = await post(admin, { email: email.toUpperCase(), firstName: 'Ada', lastName: 'Lovelace', externalId: unique('x') });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ email, firstName: 'Ada', lastName: 'Lovelace', role: 'learner', status: 'active' });
    expect(res.headers.location).toBe(`/api/v1/users/${body.id}`);
    expect(body).not.toHaveProperty('passwordHash');
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: body.id } });
    expect(row.email).toBe(email);
  });

  it('adds memberships from groups[] by id and by ext: reference', async () => {
    const ext = unique('g');
    const a = await t.group('Alpha');
    const b = await t.group('Beta', null, { externalId: ext });
    const res = await post(admin, {
      email: newEmail(),
      firstName: 'G',
      lastName: 'M',
      groups: [{ group: a.id, role: 'learner' }, { group: `ext:${ext}`, role: 'observer' }],
    });
    expect(res.statusCode).toBe(201);
    const rows = await t.db.prisma.membership.findMany({ where: { userId: res.json().id }, orderBy: { role: 'asc' } });
    expect(rows.map((m) => [m.groupId, m.role]).sort()).toEqual([[a.id, 'learner'], [b.id, 'observer']].sort());
  });

  it('refuses unknown groups with 422 naming each entry, and writes nothing', async () => {
    const a = await t.group();
    const email = newEmail();
    const before = await countUsers();
    const body = problem(
      await post(admin, {
        email,
        firstName: 'No',
        lastName: 'Group',
        groups: [{ group: a.id, role: 'learner' }, { group: randomUUID(), role: 'learner' }, { group: 'ext:nope', role: 'observer' }],
      }),
      422,
    );
    expect(body.code).toBe('invalid_reference');
    expect(body.errors?.map((e) => e.field)).toEqual(['body.groups.1.group', 'body.groups.2.group']);
    expect(await countUsers()).toBe(before);
    expect(await t.db.prisma.user.findUnique({ where: { email } })).toBeNull();
    expect(await t.db.prisma.membership.count({ where: { groupId: a.id } })).toBe(0);
  });

  it('refuses a duplicate e-mail, whatever its case, with 409 and writes nothing', async () => {
    const existing = await t.user('learner');
    const before = await countUsers();
    const g = await t.group();
    const body = problem(
      await post(admin, { email: existing.email.toUpperCase(), firstName: 'Dup', lastName: 'E', groups: [{ group: g.id, role: 'learner' }] }),
      409,
    );
    expect(body.code).toBe('email_taken');
    expect(await countUsers()).toBe(before);
    expect(await t.db.prisma.membership.count({ where: { groupId: g.id } })).toBe(0);
  });

  it('refuses a duplicate externalId with 409 external_id_taken', async () => {
    const ext = unique('dup');
    expect((await post(admin, { email: newEmail(), firstName: 'A', lastName: 'B', externalId: ext })).statusCode).toBe(201);
    const before = await countUsers();
    expect(problem(await post(admin, { email: newEmail(), firstName: 'A', lastName: 'B', externalId: ext }), 409).code).toBe(
      'external_id_taken',
    );
    expect(await countUsers()).toBe(before);
  });

  it.each([
    ['missing names', { email: 'x@test.covey' }, ['body.firstName', 'body.lastName']],
    ['blank first name', { email: 'x@test.covey', firstName: '   ', lastName: 'L' }, ['body.firstName']],
    ['bad e-mail', { email: 'not-an-email', firstName: 'F', lastName: 'L' }, ['body.email']],
    ['unknown field', { email: 'x@test.covey', firstName: 'F', lastName: 'L', isGod: true }, ['body']],
    ['too-long name', { email: 'x@test.covey', firstName: 'F'.repeat(101), lastName: 'L' }, ['body.firstName']],
    ['too-long externalId', { email: 'x@test.covey', firstName: 'F', lastName: 'L', externalId: 'e'.repeat(256) }, ['body.externalId']],
    ['bad role', { email: 'x@test.covey', firstName: 'F', lastName: 'L', role: 'god' }, ['body.role']],
    ['bad group role', { email: 'x@test.covey', firstName: 'F', lastName: 'L', groups: [{ group: 'ext:a', role: 'boss' }] }, ['body.groups.0.role']],
  ])('answers 400 for %s', async (_name, payload, fields) => {
    const before = await countUsers();
    const body = problem(await post(admin, payload), 400);
    expect(body.code).toBe('validation_failed');
    for (const field of fields) expect(body.errors?.map((e) => e.field)).toContain(field);
    expect(await countUsers()).toBe(before);
  });

  it('lets only admins create users, and only an owner grant owner', async () => {
    const before = await countUsers();
    problem(await post(await t.user('learner'), { email: newEmail(), firstName: 'A', lastName: 'B' }), 403);
    problem(await post(await t.user('trainer'), { email: newEmail(), firstName: 'A', lastName: 'B' }), 403);
    problem(await post(null, { email: newEmail(), firstName: 'A', lastName: 'B' }), 401);
    problem(await post(admin, { email: newEmail(), firstName: 'A', lastName: 'B', role: 'owner' }), 403);
    expect(await countUsers()).toBe(before + 2); // the learner and the trainer made above
    // Only the owner manages admins.
    problem(await post(admin, { email: newEmail(), firstName: 'A', lastName: 'B', role: 'admin' }), 403);
    expect((await post(owner, { email: newEmail(), firstName: 'A', lastName: 'B', role: 'admin' })).json().role).toBe('admin');
    expect((await post(owner, { email: newEmail(), firstName: 'A', lastName: 'B', role: 'owner' })).json().role).toBe('owner');
  });
});

describe('GET /users/{user}', () => {
  it('finds a user by id, email: and ext: references', async () => {
    const ext = unique('ext');
    const u = await t.user('learner', { externalId: ext });
    for (const ref of [u.id, u.id.toUpperCase(), `email:${u.email}`, `email:${u.email.toUpperCase()}`, `ext:${ext}`]) {
      const res = await t.as(admin, { method: 'GET', url: `/api/v1/users/${encodeURIComponent(ref)}` });
      expect(res.statusCode, ref).toBe(200);
      expect(res.json()).toMatchObject({ id: u.id, email: u.email, externalId: ext });
    }
    for (const ref of [randomUUID(), 'email:nobody@test.covey', 'ext:nobody', 'garbage']) {
      expect(problem(await t.as(admin, { method: 'GET', url: `/api/v1/users/${encodeURIComponent(ref)}` }), 404).code).toBe('user_not_found');
    }
  });

  it('answers 404 to a learner asking for someone else', async () => {
    const other = await t.user('learner');
    problem(await t.as(await t.user('learner'), { method: 'GET', url: `/api/v1/users/${other.id}` }), 404);
  });
});

describe('PATCH /users/{user}', () => {
  it('updates the profile and role', async () => {
    const u = await t.user('learner');
    const res = await t.as(admin, {
      method: 'PATCH',
      url: `/api/v1/users/${u.id}`,
      payload: { firstName: 'Grace', department: 'R&D', role: 'trainer' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ firstName: 'Grace', department: 'R&D', role: 'trainer' });
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect([row.firstName, row.department, row.role]).toEqual(['Grace', 'R&D', 'trainer']);
  });

  it('refuses an e-mail already used by someone else with 409', async () => {
    const u = await t.user('learner');
    const other = await t.user('learner');
    expect(problem(await t.as(admin, { method: 'PATCH', url: `/api/v1/users/${u.id}`, payload: { email: other.email.toUpperCase() } }), 409).code).toBe(
      'email_taken',
    );
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id } })).email).toBe(u.email);
  });

  it('does not let a learner change their own role, status or externalId', async () => {
    const me = await t.user('learner', { externalId: unique('self') });
    const before = await t.db.prisma.user.findUniqueOrThrow({ where: { id: me.id } });
    for (const payload of [{ role: 'owner' }, { role: 'admin' }, { status: 'deactivated' }, { externalId: 'hijack' }, { firstName: 'Me' }]) {
      // Learners do not manage users: the route answers as if there were nothing to manage.
      expect(problem(await t.as(me, { method: 'PATCH', url: `/api/v1/users/${me.id}`, payload }), 404).code).toBe('user_not_found');
    }
    const after = await t.db.prisma.user.findUniqueOrThrow({ where: { id: me.id } });
    expect(after).toEqual(before);
  });

  it('lets only an owner grant owner or admin, or change an owner', async () => {
    const u = await t.user('learner');
    const anotherOwner = await t.user('owner');
    const patch = (as: TestUser, id: string, payload: object) => t.as(as, { method: 'PATCH', url: `/api/v1/users/${id}`, payload });
    problem(await patch(admin, u.id, { role: 'owner' }), 403);
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id } })).role).toBe('learner');
    problem(await patch(admin, anotherOwner.id, { firstName: 'Changed' }), 403);
    problem(await patch(admin, anotherOwner.id, { role: 'learner' }), 403);
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: anotherOwner.id } })).toMatchObject({ role: 'owner', firstName: expect.not.stringMatching('Changed') });
    problem(await patch(admin, u.id, { role: 'admin' }), 403);
    expect((await patch(owner, u.id, { role: 'admin' })).json().role).toBe('admin');
    expect((await patch(owner, u.id, { role: 'owner' })).json().role).toBe('owner');
    expect((await patch(owner, u.id, { role: 'learner' })).json().role).toBe('learner');
  });

  it('keeps at least one active owner (422 last_owner)', async () => {
    // Only one owner may be left for this test: demote the others made so far.
    const solo = await t.user('owner');
    await t.db.prisma.user.updateMany({ where: { role: 'owner', id: { not: solo.id } }, data: { role: 'admin' } });
    try {
      const patch = (payload: object) => t.as(solo, { method: 'PATCH', url: `/api/v1/users/${solo.id}`, payload });
      expect(problem(await patch({ role: 'admin' }), 422).code).toBe('last_owner');
      expect(problem(await patch({ status: 'deactivated' }), 422).code).toBe('last_owner');
      expect(problem(await t.as(solo, { method: 'DELETE', url: `/api/v1/users/${solo.id}` }), 422).code).toBe('last_owner');
      expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: solo.id } })).toMatchObject({ role: 'owner', status: 'active' });
      // A deactivated owner does not count.
      await t.user('owner', { status: 'deactivated' });
      expect(problem(await patch({ role: 'admin' }), 422).code).toBe('last_owner');
      // With a second active owner, the first may step down.
      await t.user('owner');
      expect((await patch({ role: 'admin' })).json().role).toBe('admin');
    } finally {
      await t.db.prisma.user.update({ where: { id: owner.id }, data: { role: 'owner' } });
    }
  });
});

describe('DELETE /users/{user}', () => {
  it('deactivates: sign-in blocked, memberships and enrollments kept', async () => {
    const u = await t.user('learner');
    const g = await t.group();
    await t.member(g.id, u.id, 'learner');
    const program = await t.program();
    await t.db.prisma.enrollment.create({ data: { userId: u.id, programId: program.id } });
    expect((await login(u.email)).statusCode).toBe(200);
    const res = await t.as(admin, { method: 'DELETE', url: `/api/v1/users/${u.id}` });
    expect(res.statusCode).toBe(204);
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.status).toBe('deactivated');
    expect(row.deactivatedAt).not.toBeNull();
    expect(row.email).toBe(u.email);
    expect(problem(await login(u.email), 401).code).toBe('invalid_credentials');
    problem(await t.as(u, { method: 'GET', url: '/api/v1/me' }), 401);
    expect(await t.db.prisma.membership.count({ where: { userId: u.id } })).toBe(1);
    expect(await t.db.prisma.enrollment.count({ where: { userId: u.id } })).toBe(1);
    expect((await t.db.prisma.refreshToken.findMany({ where: { userId: u.id } })).every((r) => r.revokedAt !== null)).toBe(true);
  });

  it('erase=true pseudonymizes personal data', async () => {
    const ext = unique('erase');
    const u = await t.user('learner', { externalId: ext, department: 'Sales', title: 'Rep' });
    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/users/${u.id}?erase=true` })).statusCode).toBe(204);
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.status).toBe('deactivated');
    expect(row.erasedAt).not.toBeNull();
    expect(row.email).not.toContain(u.email.split('@')[0]);
    expect(row.firstName).not.toMatch(/^First/);
    expect(row.lastName).not.toMatch(/^Last/);
    expect([row.externalId, row.passwordHash, row.department, row.title]).toEqual([null, null, null, null]);
    problem(await t.as(admin, { method: 'GET', url: `/api/v1/users/email:${u.email}` }), 404);
    problem(await t.as(admin, { method: 'GET', url: `/api/v1/users/ext:${ext}` }), 404);
  });

  it('is for admins only', async () => {
    const u = await t.user('learner');
    problem(await t.as(await t.user('learner'), { method: 'DELETE', url: `/api/v1/users/${u.id}` }), 404);
    problem(await t.as(await t.user('trainer'), { method: 'DELETE', url: `/api/v1/users/${u.id}` }), 404);
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id } })).status).toBe('active');
  });
});

describe('PUT /users/ext:{externalId}', () => {
  it('upserts: the same call twice gives one user (201 then 200)', async () => {
    const ext = unique('hr');
    const g = await t.group();
    const payload = { email: newEmail(), firstName: 'Up', lastName: 'Sert', groups: [{ group: g.id, role: 'learner' }] };
    const first = await t.as(admin, { method: 'PUT', url: `/api/v1/users/ext:${ext}`, payload });
    expect(first.statusCode).toBe(201);
    expect(first.headers.location).toBe(`/api/v1/users/${first.json().id}`);
    const second = await t.as(admin, { method: 'PUT', url: `/api/v1/users/ext:${ext}`, payload: { ...payload, firstName: 'Again' } });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ id: first.json().id, externalId: ext, firstName: 'Again' });
    expect(await t.db.prisma.user.count({ where: { externalId: ext } })).toBe(1);
    expect(await t.db.prisma.membership.count({ where: { userId: first.json().id } })).toBe(1);
  });

  it('refuses a learner', async () => {
    const ext = unique('hr');
    problem(await t.as(await t.user('learner'), { method: 'PUT', url: `/api/v1/users/ext:${ext}`, payload: { email: newEmail(), firstName: 'A', lastName: 'B' } }), 403);
    expect(await t.db.prisma.user.count({ where: { externalId: ext } })).toBe(0);
  });
});

describe('GET /users (list)', () => {
  it('searches with q, role and status, and walks every page with limit=2 following Link rel=next', async () => {
    const tag = unique('zq').replace('-', '');
    const made = [];
    for (let i = 0; i < 5; i++) {
      made.push(await t.user(i === 4 ? 'trainer' : 'learner', { lastName: `${tag}-${i}`, ...(i === 3 ? { status: 'deactivated' } : {}) }));
    }
    await t.user('learner'); // not matching q

    const all = await t.as(admin, { method: 'GET', url: `/api/v1/users?q=${tag.toUpperCase()}&limit=100` });
    expect(all.statusCode).toBe(200);
    expect(all.json().items.map((u: { id: string }) => u.id).sort()).toEqual(made.map((u) => u.id).sort());

    const trainers = (await t.as(admin, { method: 'GET', url: `/api/v1/users?q=${tag}&role=trainer` })).json();
    expect(trainers.items.map((u: { id: string }) => u.id)).toEqual([made[4]!.id]);
    const off = (await t.as(admin, { method: 'GET', url: `/api/v1/users?q=${tag}&status=deactivated` })).json();
    expect(off.items.map((u: { id: string }) => u.id)).toEqual([made[3]!.id]);
    const byEmail = (await t.as(admin, { method: 'GET', url: `/api/v1/users?q=${encodeURIComponent(made[0]!.email.toUpperCase())}` })).json();
    expect(byEmail.items.map((u: { id: string }) => u.id)).toEqual([made[0]!.id]);

    // Pages of two, following the Link header, with the search kept on every page.
    const seen: string[] = [];
    let url: string | null = `/api/v1/users?q=${tag}&limit=2`;
    let pages = 0;
    while (url) {
      const res = await t.as(admin, { method: 'GET', url });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((u: { id: string }) => u.id));
      const link = res.headers.link as string | undefined;
      if (body.nextCursor) {
        expect(link).toMatch(/^<\/api\/v1\/users\?.*>; rel="next"$/);
        url = /^<([^>]+)>/.exec(String(link))?.[1] ?? null;
      } else {
        expect(link).toBeUndefined();
        url = null;
      }
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(made.map((u) => u.id).sort());
  });

  it('walks the whole workspace without repeats', async () => {
    const total = await countUsers();
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const res = await t.as(admin, { method: 'GET', url: `/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}` });
      const body = res.json<{ items: { id: string }[]; nextCursor: string | null }>();
      for (const u of body.items) {
        expect(seen.has(u.id)).toBe(false);
        seen.add(u.id);
      }
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(total);
  });

  it('filters by group over its whole subtree (any role), by id or ext:, combined with the other filters', async () => {
    const ext = unique('gx');
    const top = await t.group('Filter top', null, { externalId: ext });
    const below = await t.group('Filter below', top.id);
    const elsewhere = await t.group('Filter elsewhere');
    const inTop = await t.user('learner');
    const inBelow = await t.user('trainer');
    const observer = await t.user('learner');
    const outside = await t.user('learner');
    await t.member(top.id, inTop.id, 'learner');
    await t.member(below.id, inBelow.id, 'learner');
    await t.member(below.id, observer.id, 'observer');
    await t.member(elsewhere.id, outside.id, 'learner');
    const ids = async (query: string) =>
      (await t.as(admin, { method: 'GET', url: `/api/v1/users?limit=100&${query}` })).json<{ items: { id: string }[] }>().items.map((u) => u.id).sort();

    expect(await ids(`group=${top.id}`)).toEqual([inTop.id, inBelow.id, observer.id].sort());
    expect(await ids(`group=ext:${ext}`)).toEqual([inTop.id, inBelow.id, observer.id].sort());
    expect(await ids(`group=${below.id}`)).toEqual([inBelow.id, observer.id].sort());
    expect(await ids(`group=${top.id}&role=trainer`)).toEqual([inBelow.id]);
    // Paged, the filter holds on every page.
    const first = (await t.as(admin, { method: 'GET', url: `/api/v1/users?group=${top.id}&limit=2` })).json();
    expect(first.items).toHaveLength(2);
    const second = (await t.as(admin, { method: 'GET', url: `/api/v1/users?group=${top.id}&limit=2&cursor=${first.nextCursor}` })).json();
    expect([...first.items, ...second.items].map((u: { id: string }) => u.id).sort()).toEqual([inTop.id, inBelow.id, observer.id].sort());
    expect(second.nextCursor).toBeNull();
  });

  it('answers 422 for a group filter it cannot resolve or the caller cannot see', async () => {
    const unknown = problem(await t.as(admin, { method: 'GET', url: `/api/v1/users?group=${randomUUID()}` }), 422);
    expect(unknown.errors).toEqual([{ field: 'query.group', message: 'unknown group' }]);
    problem(await t.as(admin, { method: 'GET', url: '/api/v1/users?group=ext:nope' }), 422);
    problem(await t.as(admin, { method: 'GET', url: '/api/v1/users?group=not-a-uuid' }), 422);
    // An integration that may read people but not groups learns nothing about a group through the filter.
    const hidden = await t.group('Filter hidden');
    const client = await t.as(admin, { method: 'POST', url: '/api/v1/integrations/clients', payload: { name: unique('reader'), scopes: ['users:read'] } });
    expect(client.statusCode).toBe(201);
    const { clientId, clientSecret } = client.json();
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/v1/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    });
    const access = token.json().access_token as string;
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/users?group=${hidden.id}`, headers: { authorization: `Bearer ${access}` } });
    expect(problem(res, 422).code).toBe('invalid_reference');
    const plain = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: `Bearer ${access}` } });
    expect(plain.statusCode).toBe(200);
  });

  it('refuses learners, rejects bad cursors and limits', async () => {
    problem(await t.as(await t.user('learner'), { method: 'GET', url: '/api/v1/users' }), 403);
    expect(problem(await t.as(admin, { method: 'GET', url: '/api/v1/users?cursor=nope' }), 400).code).toBe('invalid_cursor');
    problem(await t.as(admin, { method: 'GET', url: '/api/v1/users?limit=0' }), 400);
    problem(await t.as(admin, { method: 'GET', url: '/api/v1/users?limit=101' }), 400);
  });
});

describe('GET /users/{user}/groups and /enrollments', () => {
  it('are visible to admins, to observers of the group or an ancestor, and 404 to others', async () => {
    const parent = await t.group('Parent');
    const child = await t.group('Child', parent.id);
    const secret = await t.group('Secret');
    const target = await t.user('learner');
    await t.member(child.id, target.id, 'learner');
    await t.member(secret.id, target.id, 'learner');
    const program = await t.program({ title: 'Visible program' });
    const hidden = await t.program({ title: 'Hidden program' });
    const assignment = await t.db.prisma.programAssignment.create({ data: { programId: program.id, groupId: child.id } });
    const hiddenAssignment = await t.db.prisma.programAssignment.create({ data: { programId: hidden.id, groupId: secret.id } });
    await t.db.prisma.enrollment.create({ data: { userId: target.id, programId: program.id, sources: { create: { assignmentId: assignment.id } } } });
    await t.db.prisma.enrollment.create({ data: { userId: target.id, programId: hidden.id, sources: { create: { assignmentId: hiddenAssignment.id } } } });

    const observer = await t.user('learner');
    await t.member(child.id, observer.id, 'observer');
    const ancestorObserver = await t.user('learner');
    await t.member(parent.id, ancestorObserver.id, 'observer');
    const fellow = await t.user('learner');
    await t.member(child.id, fellow.id, 'learner');
    const outsider = await t.user('learner');

    const groupsOf = async (as: TestUser) => t.as(as, { method: 'GET', url: `/api/v1/users/${target.id}/groups` });
    const enrollmentsOf = async (as: TestUser) => t.as(as, { method: 'GET', url: `/api/v1/users/${target.id}/enrollments` });

    const forAdmin = (await groupsOf(admin)).json();
    expect(forAdmin.items.map((i: { group: { id: string } }) => i.group.id).sort()).toEqual([child.id, secret.id].sort());
    expect(forAdmin.items.find((i: { group: { id: string } }) => i.group.id === child.id)).toMatchObject({
      group: { id: child.id, name: 'Child', parentId: parent.id },
      roles: ['learner'],
    });
    expect((await enrollmentsOf(admin)).json().items).toHaveLength(2);

    for (const viewer of [observer, ancestorObserver]) {
      const groups = await groupsOf(viewer);
      expect(groups.statusCode).toBe(200);
      // An observer sees the user's groups they may see, not the others (no leak of unrelated groups).
      expect(groups.json().items.map((i: { group: { id: string } }) => i.group.id)).toEqual([child.id]);
      const enrollments = await enrollmentsOf(viewer);
      expect(enrollments.statusCode).toBe(200);
      expect(enrollments.json().items).toEqual([
        expect.objectContaining({ program: { id: program.id, title: 'Visible program' }, sources: [{ groupId: child.id, groupName: 'Child' }] }),
      ]);
    }

    for (const viewer of [outsider, fellow]) {
      expect(problem(await groupsOf(viewer), 404).code).toBe('user_not_found');
      expect(problem(await enrollmentsOf(viewer), 404).code).toBe('user_not_found');
    }
    // Their own, of course.
    expect((await groupsOf(target)).json().items).toHaveLength(2);
  });
});
