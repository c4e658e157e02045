import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestUser } from './helpers.ts';
import { ENTERPRISE, LIST, PATCH_OP, SCIM_GROUP, SCIM_USER, scimClient, type Scim } from './scim/client.ts';

/**
 * The request sequences Okta and Microsoft Entra ID send when they provision, update, deactivate and push
 * groups, as their public SCIM 2.0 documentation shows them (Okta "SCIM 2.0 protocol reference"; Microsoft
 * "Tutorial: Develop and plan provisioning for a SCIM endpoint"), with the response shapes those clients
 * rely on: ListResponse with `Resources` even when empty, 201 with `id`, 200 or 204 on PATCH, 204 on DELETE.
 */
let t: TestContext;
let admin: TestUser;
let scim: Scim;

beforeAll(async () => {
  t = await createTestContext();
  admin = await t.user('admin');
  ({ scim } = await scimClient(t, admin, 'conformance'));
});
afterAll(async () => t?.close());

const q = encodeURIComponent;
const rowOf = (id: string) => t.db.prisma.user.findUniqueOrThrow({ where: { id } });

describe('Okta', () => {
  it('provisions, updates with PUT, deactivates and reactivates a user', async () => {
    // Okta first looks the user up by userName, with its paging parameters.
    const lookup = await scim('GET', `/Users?filter=${q('userName eq "test.user@okta.local"')}&startIndex=1&count=100`);
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json()).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    const created = await scim('POST', '/Users', {
      schemas: [SCIM_USER],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({
      id: expect.any(String),
      userName: 'test.user@okta.local',
      active: true,
      externalId: '00ujl29u0le5T6Aj10h7',
    });
    expect((await rowOf(user.id)).passwordHash).toBeNull();

    const found = await scim('GET', `/Users?filter=${q('userName eq "Test.User@okta.local"')}&startIndex=1&count=100`);
    expect(found.json()).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] });
    expect((await scim('GET', `/Users/${user.id}`)).json()).toMatchObject({
      id: user.id,
      name: { givenName: 'Test', familyName: 'User' },
    });

    // Profile updates are a full PUT of the user Okta holds.
    const put = await scim('PUT', `/Users/${user.id}`, {
      schemas: [SCIM_USER],
      id: user.id,
      userName: 'test.user@okta.local',
      name: { givenName: 'Another', middleName: '', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Another User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
      meta: { resourceType: 'User' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id: user.id, name: { givenName: 'Another', familyName: 'User' }, active: true });

    // Deactivation and reactivation: a path-less replace carrying { active }.
    const off = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ id: user.id, active: false });
    expect((await rowOf(user.id)).status).toBe('deactivated');
    const on = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(on.json()).toMatchObject({ active: true });

    // Import: list everything, page by page.
    const all = await scim('GET', '/Users?startIndex=1&count=100');
    expect(all.json().Resources.map((r: { id: string }) => r.id)).toContain(user.id);
  });

  it('pushes a group: create, rename, add and remove members, PUT, delete', async () => {
    const member = (
      await scim('POST', '/Users', {
        schemas: [SCIM_USER],
        userName: 'push.member@okta.local',
        name: { givenName: 'Push', familyName: 'Member' },
        active: true,
      })
    ).json();
    const created = await scim('POST', '/Groups', { schemas: [SCIM_GROUP], displayName: 'Test SCIMv2', members: [] });
    expect(created.statusCode).toBe(201);
    const group = created.json();
    expect(group).toMatchObject({ id: expect.any(String), displayName: 'Test SCIMv2', members: [] });
    expect((await scim('GET', `/Groups/${group.id}`)).json()).toMatchObject({ displayName: 'Test SCIMv2' });

    const rename = await scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { id: group.id, displayName: 'Test SCIMv2 renamed' } }],
    });
    expect([200, 204]).toContain(rename.statusCode);
    const add = await scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: member.id, display: 'push.member@okta.local' }] }],
    });
    expect([200, 204]).toContain(add.statusCode);
    expect((await scim('GET', `/Groups/${group.id}`)).json()).toMatchObject({
      displayName: 'Test SCIMv2 renamed',
      members: [{ value: member.id }],
    });
    expect(await t.db.prisma.membership.findFirst({ where: { groupId: group.id, userId: member.id } })).toMatchObject({
      role: 'learner',
      source: 'scim',
    });

    const remove = await scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `members[value eq "${member.id}"]` }],
    });
    expect([200, 204]).toContain(remove.statusCode);
    expect((await scim('GET', `/Groups/${group.id}`)).json().members).toEqual([]);

    const put = await scim('PUT', `/Groups/${group.id}`, {
      schemas: [SCIM_GROUP],
      id: group.id,
      displayName: 'Test SCIMv2 final',
      members: [{ value: member.id, display: 'push.member@okta.local' }],
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      id: group.id,
      displayName: 'Test SCIMv2 final',
      members: [{ value: member.id }],
    });

    const listed = await scim(
      'GET',
      `/Groups?filter=${q('displayName eq "Test SCIMv2 final"')}&startIndex=1&count=100`,
    );
    expect(listed.json()).toMatchObject({ totalResults: 1, Resources: [{ id: group.id }] });
    expect((await scim('DELETE', `/Groups/${group.id}`)).statusCode).toBe(204);
    expect((await scim('GET', `/Groups/${group.id}`)).statusCode).toBe(404);
  });
});

describe('Microsoft Entra ID', () => {
  it('provisions, updates with PATCH, disables and deletes a user', async () => {
    // The connection test and every provisioning cycle start with a userName lookup.
    const probe = await scim(
      'GET',
      `/Users?filter=${q('userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com"')}`,
    );
    expect(probe.statusCode).toBe(200);
    expect(probe.json()).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await scim('POST', '/Users', {
      schemas: [SCIM_USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({
      id: expect.any(String),
      userName: 'test_user_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com',
      meta: { resourceType: 'User' },
    });

    const byName = await scim(
      'GET',
      `/Users?filter=${q('userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com"')}`,
    );
    expect(byName.json()).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] });
    // A duplicate create is answered 409 uniqueness, which Entra turns into a match.
    expect(
      (await scim('POST', '/Users', { schemas: [SCIM_USER], userName: user.userName, active: true })).json(),
    ).toMatchObject({ status: '409', scimType: 'uniqueness' });

    const manager = (
      await scim('POST', '/Users', { schemas: [SCIM_USER], userName: 'manager@contoso.com', active: true })
    ).json();
    const update = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@contoso.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
    expect(update.statusCode).toBe(200);
    // The work e-mail changes; the sign-in name (userName) does not.
    expect(update.json()).toMatchObject({
      userName: 'test_user_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com',
      emails: [{ value: 'updatedemail@contoso.com', type: 'work', primary: true }],
      name: { familyName: 'updatedFamilyName' },
    });
    expect((await rowOf(user.id)).email).toBe('updatedemail@contoso.com');

    // Several attributes in one path-less Add, keys being attribute paths (dotted and URN-qualified).
    const added = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Add',
          value: {
            title: 'Sales Lead',
            'name.givenName': 'Grace',
            [`${ENTERPRISE}:department`]: 'Sales',
            [`${ENTERPRISE}:employeeNumber`]: 'E-1001',
            'addresses[type eq "work"].country': 'FR',
          },
        },
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: manager.id },
      ],
    });
    expect(added.statusCode).toBe(200);
    expect(await rowOf(user.id)).toMatchObject({
      title: 'Sales Lead',
      firstName: 'Grace',
      department: 'Sales',
      country: 'FR',
      managerId: manager.id,
      attributes: { employeeNumber: 'E-1001' },
    });

    const disable = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect([200, 204]).toContain(disable.statusCode);
    expect((await rowOf(user.id)).status).toBe('deactivated');
    const enable = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect(enable.json().active).toBe(true);

    // DELETE: gone for SCIM (RFC 7644 section 3.6), erased in Covey.
    expect((await scim('DELETE', `/Users/${user.id}`)).statusCode).toBe(204);
    expect((await scim('GET', `/Users/${user.id}`)).statusCode).toBe(404);
    expect(await rowOf(user.id)).toMatchObject({ status: 'deactivated', erasedAt: expect.any(Date), userName: null });
  });

  it('runs the documented user sequence: a userName that is no e-mail, a work e-mail, updates, delete, re-create', async () => {
    // Microsoft's "Develop a SCIM endpoint" user operations, verbatim: userName is the UPN-like sign-in name.
    const createUser = {
      schemas: [SCIM_USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    };
    const created = await scim('POST', '/Users', createUser);
    expect(created.statusCode, created.body).toBe(201);
    const user = created.json();
    const expected = {
      id: expect.any(String),
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'test_user_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
      name: { familyName: 'familyName', givenName: 'givenName' },
      meta: { resourceType: 'User' },
    };
    expect(user).toMatchObject(expected);
    expect((await scim('GET', `/Users/${user.id}`)).json()).toMatchObject(expected);
    expect(await rowOf(user.id)).toMatchObject({
      userName: 'test_user_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      email: 'test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com',
    });

    const byName = await scim(
      'GET',
      `/Users?filter=${q('userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"')}`,
    );
    expect(byName.json()).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] });
    const none = await scim('GET', `/Users?filter=${q('userName eq "non-existent user"')}`);
    expect(none.json()).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    // Update user [multi-valued properties]: the e-mail changes, the userName stays.
    const multi = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
    expect(multi.statusCode, multi.body).toBe(200);
    expect(multi.json()).toMatchObject({
      userName: 'test_user_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      emails: [{ primary: true, type: 'work', value: 'updatedemail@microsoft.com' }],
      name: { familyName: 'updatedFamilyName' },
    });
    expect((await rowOf(user.id)).email).toBe('updatedemail@microsoft.com');
    const byWorkEmail = await scim(
      'GET',
      `/Users?filter=${q('emails[type eq "work"].value eq "updatedEmail@microsoft.com"')}`,
    );
    expect(byWorkEmail.json()).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] });

    // Update user [single-valued properties]: the userName changes, the e-mail stays.
    const single = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }],
    });
    expect(single.statusCode, single.body).toBe(200);
    expect(single.json()).toMatchObject({
      userName: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
      emails: [{ value: 'updatedemail@microsoft.com' }],
    });
    expect((await rowOf(user.id)).email).toBe('updatedemail@microsoft.com');

    // Delete user: 204, then the user is gone, and the directory can provision the same identity again.
    expect((await scim('DELETE', `/Users/${user.id}`)).statusCode).toBe(204);
    expect((await scim('GET', `/Users/${user.id}`)).statusCode).toBe(404);
    const gone = await scim(
      'GET',
      `/Users?filter=${q('userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"')}`,
    );
    expect(gone.json()).toMatchObject({ totalResults: 0, Resources: [] });
    const again = await scim('POST', '/Users', createUser);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().id).not.toBe(user.id);
  });

  it('provisions a group and its members without ever loading member lists', async () => {
    const member = (
      await scim('POST', '/Users', { schemas: [SCIM_USER], userName: 'entra.member@contoso.com', active: true })
    ).json();
    const lookup = await scim(
      'GET',
      `/Groups?excludedAttributes=members&filter=${q('displayName eq "Group1DisplayName"')}`,
    );
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json()).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await scim('POST', '/Groups', {
      schemas: [SCIM_GROUP],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Group1DisplayName',
      meta: { resourceType: 'Group' },
    });
    expect(created.statusCode).toBe(201);
    const group = created.json();
    expect(group).toMatchObject({
      id: expect.any(String),
      displayName: 'Group1DisplayName',
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
    });

    const one = await scim('GET', `/Groups/${group.id}?excludedAttributes=members`);
    expect(one.json()).toMatchObject({ id: group.id, displayName: 'Group1DisplayName' });
    expect(one.json().members).toBeUndefined();
    const found = await scim(
      'GET',
      `/Groups?excludedAttributes=members&filter=${q('displayName eq "Group1DisplayName"')}`,
    );
    expect(found.json()).toMatchObject({ totalResults: 1, Resources: [{ id: group.id }] });

    const add = await scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: member.id }] }],
    });
    expect(add.statusCode).toBe(204);
    const isMember = `/Groups?excludedAttributes=members&filter=${q(`id eq "${group.id}" and members[value eq "${member.id}"]`)}`;
    expect((await scim('GET', isMember)).json().totalResults).toBe(1);

    const rename = await scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' },
      ],
    });
    expect(rename.statusCode).toBe(204);

    const remove = await scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: member.id }] }],
    });
    expect(remove.statusCode).toBe(204);
    expect((await scim('GET', isMember)).json().totalResults).toBe(0);
    expect(await t.db.prisma.group.findUniqueOrThrow({ where: { id: group.id } })).toMatchObject({
      name: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
    });

    expect((await scim('DELETE', `/Groups/${group.id}`)).statusCode).toBe(204);
  });
});
