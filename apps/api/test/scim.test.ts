import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';
import { ENTERPRISE, LIST, patch, scimClient, scimError, scimUser, type Scim } from './scim/client.ts';

let t: TestContext;
let admin: TestUser;
let scim: Scim;
let token: string;

beforeAll(async () => {
  t = await createTestContext();
  admin = await t.user('admin');
  ({ scim, token } = await scimClient(t, admin));
});
afterAll(async () => t?.close());

const create = async (userName: string, extra: Record<string, unknown> = {}) => {
  const res = await scim('POST', '/Users', scimUser(userName, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Record<string, unknown> & { id: string; meta: { version: string } }>();
};
const ids = (res: { json(): unknown }) => (res.json() as { Resources: { id: string }[] }).Resources.map((r) => r.id);
const outbox = (type: string, key: string, id: string) =>
  t.db.prisma.outboxEvent.findMany({ where: { type, payload: { path: [key], equals: id } } });

describe('SCIM tokens', () => {
  it('are managed by admins, shown once, and a revoked token gets a SCIM 401', async () => {
    const learner = await t.user('learner');
    problem(
      await t.as(learner, { method: 'POST', url: '/api/v1/integrations/scim-tokens', payload: { name: 'x' } }),
      403,
    );
    const { token: revoked, id, scim: revokedScim } = await scimClient(t, admin, 'to revoke');
    expect((await revokedScim('GET', '/Users')).statusCode).toBe(200);
    const list = await t.as(admin, { method: 'GET', url: '/api/v1/integrations/scim-tokens' });
    const listed = list.json().items.find((i: { id: string }) => i.id === id);
    expect(listed).toMatchObject({ name: 'to revoke', prefix: revoked.slice(0, 12), revokedAt: null });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.json())).not.toContain(revoked);

    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/integrations/scim-tokens/${id}` })).statusCode).toBe(
      204,
    );
    const denied = await revokedScim('GET', '/Users');
    scimError(denied, 401);
    expect(denied.headers['www-authenticate']).toContain('Bearer');
    scimError(await t.app.inject({ method: 'GET', url: '/scim/v2/Users' }), 401);
    scimError(
      await t.app.inject({ method: 'GET', url: '/scim/v2/Users', headers: { authorization: `Bearer ${admin.token}` } }),
      401,
    );
  });
});

describe('discovery', () => {
  it('describes the service, its resource types and schemas', async () => {
    const spc = await scim('GET', '/ServiceProviderConfig');
    expect(spc.statusCode).toBe(200);
    expect(spc.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(spc.json()).toMatchObject({
      patch: { supported: true },
      filter: { supported: true },
      etag: { supported: true },
      bulk: { supported: false },
    });
    const types = await scim('GET', '/ResourceTypes');
    expect(types.json().Resources.map((r: { id: string }) => r.id)).toEqual(['User', 'Group']);
    const schemas = await scim('GET', '/Schemas');
    expect(schemas.json().Resources.map((r: { name: string }) => r.name)).toEqual(['User', 'Group', 'EnterpriseUser']);
    expect(
      (await scim('GET', `/Schemas/${ENTERPRISE}`)).json().attributes.map((a: { name: string }) => a.name),
    ).toContain('department');
    scimError(await scim('GET', '/Nope'), 404);
  });
});

describe('Users', () => {
  it('creates a user with meta, ETag and Location; userName is unique case-insensitively', async () => {
    const res = await scim(
      'POST',
      '/Users',
      scimUser('Grace.Hopper@Example.com', {
        externalId: 'ext-grace',
        title: 'Admiral',
        [ENTERPRISE]: { department: 'Navy', employeeNumber: '42' },
      }),
    );
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      userName: 'grace.hopper@example.com',
      externalId: 'ext-grace',
      active: true,
      title: 'Admiral',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'grace.hopper@example.com', type: 'work', primary: true }],
      [ENTERPRISE]: { department: 'Navy', employeeNumber: '42' },
      meta: { resourceType: 'User', version: 'W/"1"' },
    });
    expect(res.headers.location).toBe(body.meta.location);
    expect(body.meta.location).toMatch(new RegExp(`/scim/v2/Users/${body.id}$`));
    expect(res.headers.etag).toBe('W/"1"');
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: body.id } });
    expect(row).toMatchObject({
      email: 'grace.hopper@example.com',
      role: 'learner',
      department: 'Navy',
      title: 'Admiral',
      attributes: { employeeNumber: '42' },
    });
    expect(await outbox('user.created', 'userId', body.id)).toHaveLength(1);
    const audits = await t.db.prisma.auditLog.findMany({ where: { targetId: body.id } });
    expect(audits).toEqual([expect.objectContaining({ actorType: 'scim', action: 'user.create' })]);

    scimError(await scim('POST', '/Users', scimUser('GRACE.HOPPER@example.com')), 409, 'uniqueness');
    scimError(
      await scim('POST', '/Users', scimUser('other@example.com', { externalId: 'ext-grace' })),
      409,
      'uniqueness',
    );
    scimError(await scim('POST', '/Users', { schemas: [], name: {} }), 400, 'invalidValue');
    scimError(await scim('GET', '/Users/00000000-0000-4000-8000-000000000000'), 404);
    scimError(await scim('GET', '/Users/not-a-uuid'), 404);
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      payload: '{"userName": ',
    });
    scimError(malformed, 400, 'invalidSyntax');
  });

  it('filters with eq/ne/co/sw/ew/pr/gt, and/or/not, parentheses and value filters', async () => {
    const tag = `f${Date.now()}`;
    const a = await create(`alice.${tag}@acme.test`, {
      externalId: `${tag}-a`,
      name: { givenName: 'Alice', familyName: 'Zed' },
    });
    const b = await create(`bob.${tag}@acme.test`, {
      name: { givenName: 'Bob', familyName: 'Young' },
      [ENTERPRISE]: { department: 'Sales' },
    });
    const c = await create(`carol.${tag}@other.test`, {
      externalId: `${tag}-c`,
      name: { givenName: 'Carol', familyName: 'Xu' },
      [ENTERPRISE]: { department: 'Sales' },
    });
    const q = (filter: string) => scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
    const expectIds = async (filter: string, expected: string[]) => {
      const res = await q(filter);
      expect(res.statusCode, `${filter}: ${res.body}`).toBe(200);
      expect(ids(res).sort(), filter).toEqual(expected.sort());
    };
    await expectIds(`userName eq "ALICE.${tag.toUpperCase()}@ACME.TEST"`, [a.id]);
    await expectIds(`UserName Eq "alice.${tag}@acme.test"`, [a.id]);
    await expectIds(`userName co "${tag}" and externalId pr`, [a.id, c.id]);
    await expectIds(`userName sw "bob.${tag}" or userName ew "${tag}@other.test"`, [b.id, c.id]);
    await expectIds(`userName co "${tag}" and not (externalId pr)`, [b.id]);
    await expectIds(`userName co "${tag}" and (name.givenName eq "alice" or name.familyName eq "xu")`, [a.id, c.id]);
    await expectIds(`userName co "${tag}" and externalId ne "${tag}-a"`, [b.id, c.id]);
    await expectIds(`emails[type eq "work" and value co "${tag}@acme"]`, [a.id, b.id]);
    await expectIds(`emails.value eq "carol.${tag}@other.test"`, [c.id]);
    await expectIds(
      `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "sales" and userName co "${tag}"`,
      [b.id, c.id],
    );
    await expectIds(`userName co "${tag}" and meta.created gt "2000-01-01T00:00:00Z" and active eq true`, [
      a.id,
      b.id,
      c.id,
    ]);
    await expectIds(`id eq "${b.id}"`, [b.id]);
    await expectIds(`id eq "nope"`, []);

    scimError(await q('userName eq'), 400, 'invalidFilter');
    scimError(await q('userName zz "x"'), 400, 'invalidFilter');
    scimError(await q('(userName eq "x"'), 400, 'invalidFilter');
    scimError(await q('nickName eq "x"'), 400, 'invalidFilter');
    scimError(await q('userName eq "x" and'), 400, 'invalidFilter');
  });

  it('paginates with 1-based startIndex and count', async () => {
    const tag = `p${Date.now()}`;
    const made = [];
    for (let i = 0; i < 5; i += 1) made.push((await create(`p${i}.${tag}@acme.test`)).id);
    const filter = encodeURIComponent(`userName co "${tag}"`);
    const page = await scim('GET', `/Users?filter=${filter}&startIndex=2&count=2`);
    expect(page.json()).toMatchObject({ schemas: [LIST], totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(ids(page)).toEqual(made.slice(1, 3));
    const last = await scim('GET', `/Users?filter=${filter}&startIndex=5&count=10`);
    expect(ids(last)).toEqual(made.slice(4));
    const countOnly = await scim('GET', `/Users?filter=${filter}&count=0`);
    expect(countOnly.json()).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    const none = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "nobody@nowhere.test"')}`);
    expect(none.json()).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    const projected = await scim('GET', `/Users?filter=${filter}&count=1&attributes=userName`);
    expect(Object.keys(projected.json().Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('applies every PATCH form: with and without path, value filters, string booleans, extension paths', async () => {
    const tag = `x${Date.now()}`;
    const manager = await create(`boss.${tag}@acme.test`);
    const user = await create(`pat.${tag}@acme.test`, { title: 'Engineer', externalId: `${tag}-pat` });
    const url = `/Users/${user.id}`;
    const run = async (...ops: unknown[]) => {
      const res = await scim('PATCH', url, patch(...ops));
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };

    expect(await run({ op: 'replace', path: 'name.givenName', value: 'Patricia' })).toMatchObject({
      name: { givenName: 'Patricia', familyName: 'Lovelace' },
    });
    expect(await run({ op: 'replace', value: { title: 'Lead', 'name.familyName': 'Smith' } })).toMatchObject({
      title: 'Lead',
      name: { familyName: 'Smith' },
    });
    expect(
      await run({
        op: 'Add',
        value: { [`${ENTERPRISE}:department`]: 'R&D', addresses: [{ type: 'work', country: 'FR' }] },
      }),
    ).toMatchObject({
      [ENTERPRISE]: { department: 'R&D' },
      addresses: [{ country: 'FR' }],
    });
    expect(await run({ op: 'replace', path: `${ENTERPRISE}:manager`, value: manager.id })).toMatchObject({
      [ENTERPRISE]: { manager: { value: manager.id } },
    });
    expect((await run({ op: 'remove', path: 'title' })).title).toBeUndefined();

    const renamed = await run({
      op: 'replace',
      path: 'emails[type eq "work"].value',
      value: `patricia.${tag}@acme.test`,
    });
    expect(renamed).toMatchObject({
      userName: `patricia.${tag}@acme.test`,
      emails: [{ value: `patricia.${tag}@acme.test` }],
    });

    const off = await run({ op: 'Replace', path: 'active', value: 'False' });
    expect(off.active).toBe(false);
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      status: 'deactivated',
    });
    expect(await outbox('user.deactivated', 'userId', user.id)).toHaveLength(1);
    expect((await run({ op: 'replace', value: { active: true } })).active).toBe(true);

    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({
      firstName: 'Patricia',
      lastName: 'Smith',
      department: 'R&D',
      country: 'FR',
      managerId: manager.id,
      title: null,
      status: 'active',
    });
    expect((await outbox('user.updated', 'userId', user.id)).length).toBeGreaterThanOrEqual(6);

    scimError(await scim('PATCH', url, patch({ op: 'remove' })), 400, 'noTarget');
    scimError(await scim('PATCH', url, patch({ op: 'move', path: 'title' })), 400, 'invalidSyntax');
    scimError(await scim('PATCH', url, { schemas: [] }), 400, 'invalidSyntax');
    scimError(
      await scim('PATCH', url, patch({ op: 'replace', path: 'emails[type eq', value: 'x' })),
      400,
      'invalidPath',
    );
    scimError(await scim('PATCH', url, patch({ op: 'replace', path: 'active', value: 'maybe' })), 400, 'invalidValue');
    scimError(
      await scim('PATCH', url, patch({ op: 'replace', path: 'userName', value: manager.userName })),
      409,
      'uniqueness',
    );
  });

  it('versions users: ETag, If-Match (412), If-None-Match (304); PUT replaces; DELETE deactivates', async () => {
    const user = await create(`v${Date.now()}@acme.test`, { title: 'Temp', [ENTERPRISE]: { department: 'Ops' } });
    const url = `/Users/${user.id}`;
    expect((await scim('GET', url, undefined, { 'if-none-match': 'W/"1"' })).statusCode).toBe(304);
    const put = await scim(
      'PUT',
      url,
      scimUser(user.userName as string, { name: { givenName: 'New', familyName: 'Name' } }),
      { 'if-match': 'W/"1"' },
    );
    expect(put.statusCode, put.body).toBe(200);
    expect(put.headers.etag).toBe('W/"2"');
    expect(put.json()).toMatchObject({ name: { givenName: 'New' }, meta: { version: 'W/"2"' } });
    expect(put.json().title).toBeUndefined();
    expect(put.json()[ENTERPRISE]).toEqual({});
    // The same PUT again changes nothing: no new version, no event.
    expect(
      (await scim('PUT', url, scimUser(user.userName as string, { name: { givenName: 'New', familyName: 'Name' } })))
        .headers.etag,
    ).toBe('W/"2"');
    scimError(
      await scim('PATCH', url, patch({ op: 'replace', path: 'title', value: 'x' }), { 'if-match': 'W/"1"' }),
      412,
    );
    scimError(await scim('DELETE', url, undefined, { 'if-match': 'W/"1"' }), 412);

    const del = await scim('DELETE', url);
    expect(del.statusCode).toBe(204);
    const after = await scim('GET', url);
    expect(after.json()).toMatchObject({ id: user.id, active: false });
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      status: 'deactivated',
    });
  });
});

describe('Groups', () => {
  it('pushes groups whose members are learners enrolled in the group’s ongoing programs', async () => {
    const tag = `g${Date.now()}`;
    const [u1, u2, u3] = [
      await create(`m1.${tag}@acme.test`),
      await create(`m2.${tag}@acme.test`),
      await create(`m3.${tag}@acme.test`),
    ];
    const res = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: `Sales ${tag}`,
      externalId: `${tag}-sales`,
      members: [{ value: u1.id }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const group = res.json();
    expect(group).toMatchObject({
      displayName: `Sales ${tag}`,
      externalId: `${tag}-sales`,
      members: [{ value: u1.id, display: 'Ada Lovelace' }],
      meta: { resourceType: 'Group' },
    });
    expect(res.headers.location).toMatch(new RegExp(`/scim/v2/Groups/${group.id}$`));
    expect(await t.db.prisma.group.findUniqueOrThrow({ where: { id: group.id } })).toMatchObject({
      name: `Sales ${tag}`,
      parentId: null,
    });
    expect(
      await t.db.prisma.membership.findMany({
        where: { groupId: group.id },
        select: { userId: true, role: true, source: true },
      }),
    ).toEqual([{ userId: u1.id, role: 'learner', source: 'scim' }]);

    const program = await t.program();
    expect(
      (await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${group.id}` })).statusCode,
    ).toBe(200);
    const enrollment = (userId: string) =>
      t.db.prisma.enrollment.findUnique({ where: { userId_programId: { userId, programId: program.id } } });
    expect(await enrollment(u1.id)).toMatchObject({ status: 'enrolled' });

    const add = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patch({ op: 'add', path: 'members', value: [{ value: u2.id }, { value: u3.id }] }),
    );
    expect(add.statusCode, add.body).toBe(204);
    expect(await enrollment(u2.id)).toMatchObject({ status: 'enrolled' });
    expect(await enrollment(u3.id)).toMatchObject({ status: 'enrolled' });
    expect(await outbox('group.member.added', 'userId', u2.id)).toHaveLength(1);

    const remove = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patch({ op: 'remove', path: `members[value eq "${u2.id}"]` }),
    );
    expect(remove.statusCode).toBe(204);
    expect(await enrollment(u2.id)).toMatchObject({ status: 'withdrawn' });
    expect(await outbox('group.member.removed', 'userId', u2.id)).toHaveLength(1);

    const replaced = await scim(
      'PATCH',
      `/Groups/${group.id}`,
      patch({ op: 'replace', path: 'members', value: [{ value: u2.id }] }),
    );
    expect(replaced.statusCode).toBe(204);
    const get = await scim('GET', `/Groups/${group.id}`);
    expect(get.json().members.map((m: { value: string }) => m.value)).toEqual([u2.id]);
    expect(get.headers.etag).toBe(get.json().meta.version);
    expect(await enrollment(u1.id)).toMatchObject({ status: 'withdrawn' });
    expect(await enrollment(u2.id)).toMatchObject({ status: 'enrolled' });

    const filtered = await scim(
      'GET',
      `/Groups?filter=${encodeURIComponent(`displayName eq "sales ${tag}" and members[value eq "${u2.id}"]`)}&excludedAttributes=members`,
    );
    expect(filtered.json().totalResults).toBe(1);
    expect(filtered.json().Resources[0].members).toBeUndefined();
    expect(
      (await scim('GET', `/Groups?filter=${encodeURIComponent(`members eq "${u1.id}"`)}`)).json().totalResults,
    ).toBe(0);

    scimError(
      await scim('PATCH', `/Groups/${group.id}`, patch({ op: 'add', path: 'members', value: [{ value: 'nobody' }] })),
      400,
      'invalidValue',
    );
    scimError(await scim('POST', '/Groups', { displayName: 'dup', externalId: `${tag}-sales` }), 409, 'uniqueness');
    scimError(await scim('POST', '/Groups', { externalId: 'x' }), 400, 'invalidValue');
  });

  it('deletes a group (its learners’ unstarted enrollments withdrawn), refusing one with subgroups', async () => {
    const user = await create(`d${Date.now()}@acme.test`);
    const group = (await scim('POST', '/Groups', { displayName: 'To delete', members: [{ value: user.id }] })).json();
    const parent = (await scim('POST', '/Groups', { displayName: 'Parent' })).json();
    await t.group('Child', parent.id);
    scimError(await scim('DELETE', `/Groups/${parent.id}`), 409);
    const program = await t.program();
    await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${group.id}` });
    expect((await scim('DELETE', `/Groups/${group.id}`)).statusCode).toBe(204);
    scimError(await scim('GET', `/Groups/${group.id}`), 404);
    expect(await t.db.prisma.enrollment.findFirst({ where: { userId: user.id, programId: program.id } })).toMatchObject(
      { status: 'withdrawn' },
    );
    expect(await outbox('group.deleted', 'groupId', group.id)).toHaveLength(1);
  });
});

describe('membership rules', () => {
  it('moves a user whose department changes through SCIM from one rule-based group to the other', async () => {
    const sales = await t.group('Rule Sales');
    const support = await t.group('Rule Support');
    const rule = (department: string) => ({ expression: { attribute: 'department', op: 'eq', value: department } });
    for (const [group, department] of [
      [sales, 'Sales'],
      [support, 'Support'],
    ] as const) {
      const res = await t.as(admin, {
        method: 'POST',
        url: `/api/v1/groups/${group.id}/rules`,
        payload: rule(department),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const [salesProgram, supportProgram] = [await t.program(), await t.program()];
    await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${salesProgram.id}/groups/${sales.id}` });
    await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${supportProgram.id}/groups/${support.id}` });

    const user = await create(`r${Date.now()}@acme.test`, { [ENTERPRISE]: { department: 'Sales' } });
    const groupsOf = async () =>
      (await t.db.prisma.membership.findMany({ where: { userId: user.id } })).map((m) => m.groupId);
    const status = async (programId: string) =>
      (await t.db.prisma.enrollment.findFirst({ where: { userId: user.id, programId } }))?.status;
    expect(await groupsOf()).toEqual([sales.id]);
    expect(await status(salesProgram.id)).toBe('enrolled');

    const moved = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patch({ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Support' }),
    );
    expect(moved.statusCode).toBe(200);
    expect(await groupsOf()).toEqual([support.id]);
    expect(await status(supportProgram.id)).toBe('enrolled');
    expect(await status(salesProgram.id)).toBe('withdrawn');
  });
});
