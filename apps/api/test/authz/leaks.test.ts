import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, PASSWORD, type TestContext, type TestUser } from '../helpers.ts';

/**
 * The authority leaks found by trying Covey as each role would: each test replays one and fails on the code that
 * had it (before the single authorization door).
 */
let t: TestContext;
let owner: TestUser;
let admin: TestUser;
let otherAdmin: TestUser;
let usersWrite: string;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const login = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

async function clientToken(scopes: string[]) {
  const created = (await t.as(owner, { method: 'POST', url: '/api/v1/integrations/clients', payload: { name: scopes.join(' '), scopes } })).json<{
    clientId: string;
    clientSecret: string;
  }>();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/oauth/token',
    payload: { grant_type: 'client_credentials', client_id: created.clientId, client_secret: created.clientSecret },
  });
  return res.json<{ access_token: string }>().access_token;
}

beforeAll(async () => {
  t = await createTestContext();
  [owner, admin, otherAdmin] = [await t.user('owner'), await t.user('admin'), await t.user('admin')];
  usersWrite = await clientToken(['users:write']);
}, 60_000);
afterAll(async () => t?.close());

describe('authority over people follows rank', () => {
  it('a users:write client cannot set an admin’s password and sign in as them', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/email:${encodeURIComponent(admin.email)}`,
      headers: bearer(usersWrite),
      payload: { password: 'taken-over-123456' },
    });
    expect(res.statusCode, res.body).toBe(403);
    expect((await login(admin.email, 'taken-over-123456')).statusCode).toBe(401);
    expect((await login(admin.email, PASSWORD)).statusCode).toBe(200);
  });

  it('a users:write client cannot demote, deactivate or erase an admin', async () => {
    const url = `/api/v1/users/${otherAdmin.id}`;
    expect((await t.app.inject({ method: 'PATCH', url, headers: bearer(usersWrite), payload: { role: 'learner' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PATCH', url, headers: bearer(usersWrite), payload: { email: 'mine@test.covey' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url, headers: bearer(usersWrite) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `${url}?erase=true`, headers: bearer(usersWrite) })).statusCode).toBe(403);
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: otherAdmin.id } })).toMatchObject({
      role: 'admin',
      status: 'active',
      email: otherAdmin.email,
      erasedAt: null,
    });
  });

  it('a workspace admin cannot reset another admin’s password; nobody but the person sets one', async () => {
    expect((await t.as(admin, { method: 'PATCH', url: `/api/v1/users/${otherAdmin.id}`, payload: { password: 'reset-by-admin-1' } })).statusCode).toBe(403);
    const learner = await t.user('learner');
    expect((await t.as(owner, { method: 'PATCH', url: `/api/v1/users/${learner.id}`, payload: { password: 'set-by-owner-123' } })).statusCode).toBe(403);
    expect((await login(learner.email, 'set-by-owner-123')).statusCode).toBe(401);
    // The owner still manages an admin's account otherwise.
    expect((await t.as(owner, { method: 'PATCH', url: `/api/v1/users/${otherAdmin.id}`, payload: { title: 'Head of L&D' } })).statusCode).toBe(200);
  });

  it('an identity provider (SCIM) cannot deactivate or rename an admin', async () => {
    const token = (await t.as(admin, { method: 'POST', url: '/api/v1/integrations/scim-tokens', payload: { name: 'idp' } })).json<{ token: string }>().token;
    const scim = (method: 'PATCH' | 'DELETE', payload?: unknown) =>
      t.app.inject({
        method,
        url: `/scim/v2/Users/${otherAdmin.id}`,
        headers: { ...bearer(token), 'content-type': 'application/scim+json' },
        ...(payload ? { payload: JSON.stringify(payload) } : {}),
      });
    const off = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] };
    expect((await scim('PATCH', off)).statusCode).toBe(403);
    expect((await scim('DELETE')).statusCode).toBe(403);
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: otherAdmin.id } })).status).toBe('active');
  });
});

describe('a group admin’s reach is their subtree', () => {
  let groupAdmin: TestUser;
  let small: string;
  beforeAll(async () => {
    small = (await t.group('Small team')).id;
    groupAdmin = await t.user('learner');
    await t.member(small, groupAdmin.id, 'admin');
  });

  it('cannot list the directory through a membership rule preview', async () => {
    const res = await t.as(groupAdmin, {
      method: 'POST',
      url: `/api/v1/groups/${small}/rules/preview`,
      payload: { expression: { attribute: 'email', op: 'exists' } },
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain(owner.email);
  });

  it('cannot pull the owner or an admin into their group; they answer like nobody', async () => {
    const put = (ref: string) =>
      t.as(groupAdmin, { method: 'PUT', url: `/api/v1/groups/${small}/members/${encodeURIComponent(ref)}`, payload: { roles: ['learner'] } });
    const nobody = await put('email:nobody-at-all@test.covey');
    for (const ref of [`email:${owner.email}`, `email:${admin.email}`, owner.id]) {
      const res = await put(ref);
      expect(res.statusCode, ref).toBe(404);
      const { status, code, title, detail } = res.json();
      expect({ status, code, title, detail }).toEqual({ status: 404, code: nobody.json().code, title: nobody.json().title, detail: nobody.json().detail });
    }
    expect(await t.db.prisma.membership.count({ where: { groupId: small, userId: { in: [owner.id, admin.id] } } })).toBe(0);
    expect((await t.as(groupAdmin, { method: 'GET', url: `/api/v1/users/${owner.id}` })).statusCode).toBe(404);
  });

  it('adds someone from outside only by exact e-mail or external id, never by id', async () => {
    const elsewhere = await t.group('Elsewhere');
    const person = await t.user('learner', { externalId: `ext-${Date.now()}` });
    await t.member(elsewhere.id, person.id, 'learner');
    const put = (ref: string) =>
      t.as(groupAdmin, { method: 'PUT', url: `/api/v1/groups/${small}/members/${encodeURIComponent(ref)}`, payload: { roles: ['learner'] } });
    expect((await put(person.id)).statusCode).toBe(404);
    expect((await t.as(groupAdmin, { method: 'GET', url: `/api/v1/users/${person.id}` })).statusCode).toBe(404);
    const byExt = await put(`ext:${(await t.db.prisma.user.findUniqueOrThrow({ where: { id: person.id } })).externalId}`);
    expect(byExt.statusCode, byExt.body).toBe(200);
    // No profile data comes back with the add; once in the group, the person is in reach.
    expect(Object.keys(byExt.json()).sort()).toEqual(['added', 'enrolled', 'groupId', 'removed', 'roles', 'userId', 'withdrawn']);
    expect((await t.as(groupAdmin, { method: 'GET', url: `/api/v1/users/${person.id}` })).statusCode).toBe(200);
  });

  it('reads no custom attributes of the people they see; admins and the person do', async () => {
    const person = await t.user('learner', { attributes: { costCenter: 'CC-42' } });
    await t.member(small, person.id, 'learner');
    const seen = (by: TestUser) => t.as(by, { method: 'GET', url: `/api/v1/users/${person.id}` });
    expect((await seen(groupAdmin)).json().attributes).toEqual({});
    expect((await seen(admin)).json().attributes).toEqual({ costCenter: 'CC-42' });
    expect((await seen(person)).json().attributes).toEqual({ costCenter: 'CC-42' });
  });
});

describe('referents are staff', () => {
  it('a trainer cannot make a learner the referent of a program', async () => {
    const trainer = await t.user('trainer');
    const learner = await t.user('learner');
    const create = await t.as(trainer, {
      method: 'POST',
      url: '/api/v1/programs',
      payload: { title: 'Mine', status: 'draft', referentId: learner.id, steps: [{ title: 'S', content: 'c' }] },
    });
    expect(create.statusCode).toBe(422);
    expect(create.json().errors).toEqual([{ field: 'body.referentId', message: 'must be a trainer, an admin or an owner' }]);
    const program = (await t.as(trainer, { method: 'POST', url: '/api/v1/programs', payload: { title: 'Mine', status: 'draft', steps: [{ title: 'S', content: 'c' }] } })).json<{ id: string }>();
    expect((await t.as(trainer, { method: 'PATCH', url: `/api/v1/programs/${program.id}`, payload: { referentId: learner.id } })).statusCode).toBe(422);
    expect((await t.as(trainer, { method: 'PATCH', url: `/api/v1/programs/${program.id}`, payload: { referentId: trainer.id } })).statusCode).toBe(200);
  });
});
