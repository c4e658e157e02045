import { randomUUID } from 'node:crypto';
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

    // A new work e-mail changes the e-mail, never the sign-in name.
    const remailed = await run({
      op: 'replace',
      path: 'emails[type eq "work"].value',
      value: `patricia.${tag}@acme.test`,
    });
    expect(remailed).toMatchObject({
      userName: `pat.${tag}@acme.test`,
      emails: [{ value: `patricia.${tag}@acme.test`, type: 'work', primary: true }],
    });
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(
      `patricia.${tag}@acme.test`,
    );

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

  it('versions users: ETag, If-Match (412), If-None-Match (304); PUT replaces; DELETE erases', async () => {
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
    scimError(await scim('GET', url), 404);
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      status: 'deactivated',
      erasedAt: expect.any(Date),
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

describe('identities: userName is the sign-in name, emails are the addresses', () => {
  const q = (filter: string) => scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
  const row = (id: string) => t.db.prisma.user.findUniqueOrThrow({ where: { id } });

  it('keeps a userName that is not an e-mail and a separate work e-mail; filters find either', async () => {
    const guid = randomUUID();
    const mail = `Test_User_${randomUUID()}@testuser.com`;
    const res = await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      externalId: `ext-${guid}`,
      userName: `Test_User_${guid}`,
      active: true,
      emails: [{ primary: true, type: 'work', value: mail }],
      name: { givenName: 'givenName', familyName: 'familyName' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json();
    const shape = {
      userName: `test_user_${guid}`,
      emails: [{ value: mail.toLowerCase(), type: 'work', primary: true }],
    };
    expect(user).toMatchObject(shape);
    expect((await scim('GET', `/Users/${user.id}`)).json()).toMatchObject(shape);
    expect(await row(user.id)).toMatchObject({
      userName: `test_user_${guid}`,
      email: mail.toLowerCase(),
      emails: [{ value: mail.toLowerCase(), type: 'work', primary: true }],
    });

    for (const filter of [
      `userName eq "TEST_USER_${guid}"`,
      `emails.value eq "${mail.toUpperCase()}"`,
      `emails eq "${mail}"`,
      `emails[type eq "work"].value eq "${mail}"`,
      `emails[type eq "work" and value eq "${mail}"]`,
      `emails[primary eq true and value co "${mail.slice(10, 30)}"]`,
    ])
      expect(ids(await q(filter)), filter).toEqual([user.id]);
    const mine = `userName eq "test_user_${guid}"`;
    for (const filter of [
      `${mine} and emails.value pr`,
      `${mine} and emails[type pr and primary eq true]`,
      `${mine} and emails.value sw "TEST_user_" and emails.value ew "@TESTUSER.COM"`,
      `${mine} and emails[type ne "home"]`,
      `${mine} and not (emails[type eq "home"])`,
      `${mine} and emails.value ne "someone@else.test"`,
    ])
      expect(ids(await q(filter)), filter).toEqual([user.id]);
    for (const filter of [
      `emails[type eq "home"].value eq "${mail}"`,
      `userName eq "${mail}"`,
      `${mine} and emails[type ne "work"]`,
      `${mine} and emails.value eq null`,
      `${mine} and emails[primary eq false]`,
    ])
      expect(ids(await q(filter)), filter).toEqual([]);
    scimError(await q('emails.display eq "x"'), 400, 'invalidFilter');

    // Unique case-insensitively.
    scimError(
      await scim('POST', '/Users', scimUser(`other.${guid}@acme.test`, { userName: `TEST_user_${guid}` })),
      409,
      'uniqueness',
    );
  });

  it('needs an e-mail: emails, or a userName that is one; Covey mails the primary, else the work, else the first', async () => {
    const tag = `id${Date.now()}`;
    const noMail = await scim('POST', '/Users', { schemas: [], userName: `nomail-${tag}`, active: true });
    scimError(noMail, 400, 'invalidValue');
    scimError(
      await scim('POST', '/Users', { userName: `bad-${tag}`, emails: [{ value: 'not an address', type: 'work' }] }),
      400,
      'invalidValue',
    );
    scimError(
      await scim('POST', '/Users', {
        userName: `two-${tag}`,
        emails: [
          { value: `a.${tag}@acme.test`, primary: true },
          { value: `b.${tag}@acme.test`, primary: true },
        ],
      }),
      400,
      'invalidValue',
    );

    const fromUserName = await create(`Self.${tag}@Acme.test`, { emails: undefined });
    expect(fromUserName.emails).toEqual([{ value: `self.${tag}@acme.test`, type: 'work', primary: true }]);

    const primary = await create(`p-${tag}`, {
      emails: [
        { value: `work.p.${tag}@acme.test`, type: 'work' },
        { value: `home.p.${tag}@home.test`, type: 'home', primary: true },
      ],
    });
    expect((await row(primary.id)).email).toBe(`home.p.${tag}@home.test`);
    const work = await create(`w-${tag}`, {
      emails: [
        { value: `home.w.${tag}@home.test`, type: 'home' },
        { value: `work.w.${tag}@acme.test`, type: 'Work' },
      ],
    });
    expect((await row(work.id)).email).toBe(`work.w.${tag}@acme.test`);
    expect(work.emails).toEqual([
      { value: `home.w.${tag}@home.test`, type: 'home', primary: false },
      { value: `work.w.${tag}@acme.test`, type: 'work', primary: false },
    ]);
    const first = await create(`f-${tag}`, {
      emails: [{ value: `first.${tag}@acme.test` }, { value: `second.${tag}@acme.test` }],
    });
    expect((await row(first.id)).email).toBe(`first.${tag}@acme.test`);

    // Another user's e-mail address is taken.
    scimError(
      await scim(
        'POST',
        '/Users',
        scimUser(`x-${tag}`, { emails: [{ value: `first.${tag}@acme.test`, type: 'work' }] }),
      ),
      409,
      'uniqueness',
    );
  });

  it('changes the e-mail without renaming, and renames without changing the e-mail', async () => {
    const tag = `ch${Date.now()}`;
    const user = await create(`Jane_${tag}`, {
      emails: [{ value: `jane.${tag}@acme.test`, type: 'work', primary: true }],
    });
    const url = `/Users/${user.id}`;
    const remail = await scim(
      'PATCH',
      url,
      patch({ op: 'Replace', path: 'emails[type eq "work"].value', value: `Jane.Doe.${tag}@acme.test` }),
    );
    expect(remail.statusCode, remail.body).toBe(200);
    expect(remail.json()).toMatchObject({
      userName: `jane_${tag}`,
      emails: [{ value: `jane.doe.${tag}@acme.test`, type: 'work', primary: true }],
    });
    expect(await row(user.id)).toMatchObject({ userName: `jane_${tag}`, email: `jane.doe.${tag}@acme.test` });
    expect(await outbox('user.updated', 'userId', user.id)).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ fields: ['email', 'emails'] }) }),
    ]);

    const renamed = await scim('PATCH', url, patch({ op: 'replace', path: 'userName', value: `JDoe_${tag}` }));
    expect(renamed.json()).toMatchObject({ userName: `jdoe_${tag}`, emails: [{ value: `jane.doe.${tag}@acme.test` }] });
    expect(await row(user.id)).toMatchObject({ userName: `jdoe_${tag}`, email: `jane.doe.${tag}@acme.test` });

    // A new primary e-mail (RFC 7644 section 3.5.2: the others stop being primary) becomes Covey's address.
    const added = await scim(
      'PATCH',
      url,
      patch({ op: 'add', path: 'emails', value: [{ value: `jd.${tag}@home.test`, type: 'home', primary: true }] }),
    );
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().emails).toEqual([
      { value: `jane.doe.${tag}@acme.test`, type: 'work', primary: false },
      { value: `jd.${tag}@home.test`, type: 'home', primary: true },
    ]);
    expect((await row(user.id)).email).toBe(`jd.${tag}@home.test`);
    const removed = await scim('PATCH', url, patch({ op: 'remove', path: 'emails[type eq "home"]' }));
    expect(removed.json().emails).toEqual([{ value: `jane.doe.${tag}@acme.test`, type: 'work', primary: false }]);
    expect((await row(user.id)).email).toBe(`jane.doe.${tag}@acme.test`);
    // The last e-mail cannot go when the userName is not an address.
    scimError(await scim('PATCH', url, patch({ op: 'remove', path: 'emails' })), 400, 'invalidValue');

    // PUT without emails keeps them (Covey needs an address); with emails, replaces them.
    const put = await scim('PUT', url, {
      schemas: [],
      userName: `jdoe_${tag}`,
      name: { givenName: 'Jane', familyName: 'Doe' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().emails).toEqual([{ value: `jane.doe.${tag}@acme.test`, type: 'work', primary: false }]);
  });

  it('treats a user made outside SCIM as userName = e-mail, and keeps that name when the e-mail changes', async () => {
    const learner = await t.user('learner');
    const before = await t.db.prisma.user.findUniqueOrThrow({ where: { id: learner.id } });
    expect(before.userName).toBeNull();
    expect(ids(await q(`userName eq "${before.email.toUpperCase()}"`))).toEqual([learner.id]);
    expect(ids(await q(`emails[type eq "work"].value eq "${before.email}"`))).toEqual([learner.id]);
    for (const filter of [`userName ne "nobody"`, `not (userName eq "nobody")`, `not (emails[type eq "home"])`])
      expect(ids(await q(`id eq "${learner.id}" and ${filter}`)), filter).toEqual([learner.id]);
    const got = (await scim('GET', `/Users/${learner.id}`)).json();
    expect(got).toMatchObject({
      userName: before.email,
      emails: [{ value: before.email, type: 'work', primary: true }],
    });
    // Its name counts as taken.
    scimError(
      await scim(
        'POST',
        '/Users',
        scimUser(before.email.toUpperCase(), { emails: [{ value: `x${Date.now()}@x.test` }] }),
      ),
      409,
      'uniqueness',
    );

    const changed = await scim(
      'PATCH',
      `/Users/${learner.id}`,
      patch({ op: 'replace', path: 'emails[type eq "work"].value', value: `moved.${before.email}` }),
    );
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ userName: before.email, emails: [{ value: `moved.${before.email}` }] });
    expect(await row(learner.id)).toMatchObject({ userName: before.email, email: `moved.${before.email}` });
  });

  it('DELETE erases: 404 for every later operation, absent from lists and groups, userName and e-mail reusable', async () => {
    const tag = `del${Date.now()}`;
    const body = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      externalId: `ext-${tag}`,
      userName: `Test_User_${tag}`,
      emails: [{ value: `${tag}@acme.test`, type: 'work', primary: true }],
      name: { givenName: 'Del', familyName: 'Eted' },
      title: 'Clerk',
      [ENTERPRISE]: { department: 'Ops', employeeNumber: '7' },
    };
    const made = await scim('POST', '/Users', body);
    expect(made.statusCode, made.body).toBe(201);
    const user = made.json();
    const url = `/Users/${user.id}`;
    const group = (await scim('POST', '/Groups', { displayName: `G ${tag}`, members: [{ value: user.id }] })).json();
    await t.db.prisma.refreshToken.create({
      data: {
        userId: user.id,
        familyId: randomUUID(),
        tokenHash: `h-${tag}`,
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });

    expect((await scim('DELETE', url)).statusCode).toBe(204);

    scimError(await scim('GET', url), 404);
    scimError(await scim('PUT', url, body), 404);
    scimError(await scim('PATCH', url, patch({ op: 'replace', path: 'title', value: 'x' })), 404);
    scimError(await scim('DELETE', url), 404);
    expect(ids(await q(`userName eq "Test_User_${tag}"`))).toEqual([]);
    expect(ids(await q(`emails.value eq "${tag}@acme.test"`))).toEqual([]);
    expect(ids(await q(`externalId eq "ext-${tag}"`))).toEqual([]);
    expect(ids(await scim('GET', '/Users?count=1000'))).not.toContain(user.id);
    expect((await scim('GET', `/Groups/${group.id}`)).json().members).toEqual([]);
    expect(
      (await scim('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${user.id}"]`)}`)).json().totalResults,
    ).toBe(0);

    // Covey keeps the history under its erase rules.
    expect(await row(user.id)).toMatchObject({
      status: 'deactivated',
      deactivatedAt: expect.any(Date),
      erasedAt: expect.any(Date),
      email: `erased-${user.id}@erased.invalid`,
      firstName: 'Erased',
      lastName: 'User',
      userName: null,
      externalId: null,
      emails: [],
      attributes: {},
      title: null,
      department: null,
    });
    expect(await t.db.prisma.refreshToken.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    expect(await t.db.prisma.membership.count({ where: { userId: user.id, groupId: group.id } })).toBe(1);
    expect(await outbox('user.deactivated', 'userId', user.id)).toHaveLength(1);
    const audits = await t.db.prisma.auditLog.findMany({ where: { targetId: user.id, action: 'user.erase' } });
    expect(audits).toEqual([expect.objectContaining({ actorType: 'scim', targetType: 'user' })]);

    const again = await scim('POST', '/Users', body);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ userName: `test_user_${tag}`, externalId: `ext-${tag}` });
    expect(again.json().id).not.toBe(user.id);
    expect(ids(await q(`userName eq "Test_User_${tag}"`))).toEqual([again.json().id]);
  });
});

describe('erased elsewhere', () => {
  it('frees the userName of a person erased through the REST API', async () => {
    const tag = `rest${Date.now()}`;
    const body = scimUser(`Rest_User_${tag}`, { emails: [{ value: `${tag}@acme.test`, type: 'work', primary: true }] });
    const first = await scim('POST', '/Users', body);
    expect(first.statusCode, first.body).toBe(201);
    const erased = await t.as(admin, { method: 'DELETE', url: `/api/v1/users/${first.json().id}?erase=true` });
    expect(erased.statusCode, erased.body).toBe(204);
    scimError(await scim('GET', `/Users/${first.json().id}`), 404);
    const again = await scim('POST', '/Users', body);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ userName: `rest_user_${tag}` });
  });
});

describe('protocol edges', () => {
  it('answers unknown paths with a SCIM 404 after the token check, and /Me with 501', async () => {
    for (const [method, url] of [
      ['GET', '/Nope'],
      ['GET', '/Users/a/b'],
      ['POST', '/Bulk'],
      ['DELETE', '/Schemas'],
    ] as const) {
      const found = scimError(await scim(method, url, method === 'POST' ? {} : undefined), 404);
      expect(found.detail).toContain(url);
      scimError(await t.app.inject({ method, url: `/scim/v2${url}` }), 401);
    }
    scimError(await scim('GET', '/Me'), 501);
    scimError(await scim('PATCH', '/Me', patch({ op: 'replace', path: 'title', value: 'x' })), 501);
    scimError(await t.app.inject({ method: 'GET', url: '/scim/v2/Me' }), 401);
  });

  it('refuses PATCH of read-only attributes (mutability) and of paths that are no attribute (invalidPath)', async () => {
    const user = await create(`ro${Date.now()}@acme.test`);
    const url = `/Users/${user.id}`;
    const bad = (op: unknown) => scim('PATCH', url, patch(op));
    scimError(
      await bad({ op: 'replace', path: 'id', value: '00000000-0000-4000-8000-000000000000' }),
      400,
      'mutability',
    );
    scimError(await bad({ op: 'remove', path: 'id' }), 400, 'mutability');
    scimError(await bad({ op: 'replace', path: 'meta.created', value: '2000-01-01T00:00:00Z' }), 400, 'mutability');
    scimError(await bad({ op: 'add', path: 'groups', value: [{ value: user.id }] }), 400, 'mutability');
    scimError(await bad({ op: 'replace', value: { id: 'other' } }), 400, 'mutability');
    scimError(await bad({ op: 'replace', path: 'foo.bar', value: 'x' }), 400, 'invalidPath');
    scimError(await bad({ op: 'replace', path: 'name.nick', value: 'x' }), 400, 'invalidPath');
    scimError(await bad({ op: 'add', value: { foo: 'x' } }), 400, 'invalidPath');
    scimError(await bad({ op: 'replace', path: `${ENTERPRISE}:shoeSize`, value: '42' }), 400, 'invalidPath');
    scimError(await bad({ op: 'replace', path: 'emails[type eq "work"].label', value: 'x' }), 400, 'invalidPath');

    // A read-only attribute given as it is, and attributes of RFC 7643 that Covey does not keep, are accepted.
    const ok = await bad({ op: 'replace', value: { id: user.id, title: 'Kept', preferredLanguage: 'fr' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().title).toBe('Kept');
    const phone = await bad({ op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+33 1 23 45 67 89' });
    expect(phone.statusCode, phone.body).toBe(200);

    const group = (await scim('POST', '/Groups', { displayName: `RO ${Date.now()}` })).json();
    scimError(
      await scim('PATCH', `/Groups/${group.id}`, patch({ op: 'replace', path: 'id', value: 'x' })),
      400,
      'mutability',
    );
    scimError(
      await scim('PATCH', `/Groups/${group.id}`, patch({ op: 'replace', path: 'owner', value: 'x' })),
      400,
      'invalidPath',
    );
  });
});
