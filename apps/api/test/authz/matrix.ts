import { createHash, randomBytes } from 'node:crypto';
import { ACTORS, CLIENTS, PEOPLE, multipart, type Actor, type World } from './world.ts';

/**
 * The authorization matrix: for every operation of the OpenAPI document, the status every actor gets.
 * Written once, here; matrix.test.ts enumerates the document and fails on a missing operation or a differing cell.
 *
 * A row has a default `_` (people and integration clients), then overrides by actor group, then by actor
 * (the most specific wins). Anonymous callers and the SCIM token get 401 on authenticated routes unless
 * overridden; `public` rows give them the default. Objects: `{group}` = A1, `{user}` = learner2 (a learner of A1),
 * `{programId}` = P (assigned to A), `{postId}` = a post in A1's space. Rows named `op#variant` re-run an
 * operation on other objects (B's, the actor's own) to check object- and property-level authorization.
 */
export type Status = 200 | 201 | 202 | 204 | 400 | 401 | 403 | 404 | 409 | 422;
export const GROUPS = {
  people: PEOPLE,
  clients: CLIENTS,
  admins: ['admin', 'owner'],
  trainers: ['trainer', 'referent'],
  /** Observers and group admins of A1 (directly or from A). */
  coverA1: ['observer', 'ancestorObserver', 'groupAdmin'],
  /** Covers A, the group P is assigned to. */
  coverA: ['ancestorObserver', 'groupAdmin'],
} as const satisfies Record<string, readonly Actor[]>;
type Key = Actor | keyof typeof GROUPS;
export type Cells = { _: Status } & Partial<Record<Key, Status>>;
export type Request = { params?: Record<string, string>; query?: Record<string, string>; payload?: unknown; headers?: Record<string, string> };
export type Row = {
  op: string;
  variant?: string;
  public?: boolean;
  expect: Cells;
  /** Actors the row applies to (default: all). */
  only?: readonly Actor[];
  /** Path params, query, body; per call, so destructive rows get throwaway objects. */
  req?: (w: World, actor: Actor) => Request | Promise<Request>;
  /** Checked after the cell: e.g. a refused write left the row untouched. */
  after?: (w: World, actor: Actor) => Promise<void>;
};

export function expected(row: Row, actor: Actor): Status {
  const cells = row.expect as Partial<Record<string, Status>>;
  const outside = actor === 'anonymous' || actor === 'scim';
  let status: Status = outside && !row.public ? 401 : row.expect._;
  if (!outside) {
    for (const [key, members] of Object.entries(GROUPS)) {
      if (cells[key] !== undefined && (members as readonly Actor[]).includes(actor)) status = cells[key]!;
    }
  }
  return cells[actor] ?? status;
}

// Throwaway objects for rows that change or delete what they touch.
const freshLearnerOfA1 = async (w: World) => {
  const u = await w.t.user('learner');
  await w.t.member(w.A1, u.id, 'learner');
  return u.id;
};
/** A learner of A1 who was created without a password and never signed in. */
const freshInvitee = async (w: World) => {
  const u = await w.t.user('learner');
  await w.t.db.prisma.user.update({ where: { id: u.id }, data: { passwordHash: null, lastLoginAt: null } });
  await w.t.member(w.A1, u.id, 'learner');
  return u.id;
};
/** A one-time link as a mail would carry it (for a fresh invitee unless a user is given). */
const freshLink = async (w: World, kind: 'invite' | 'reset', userId?: string) => {
  const token = randomBytes(24).toString('base64url');
  await w.t.db.prisma.userToken.create({
    data: { userId: userId ?? (await freshInvitee(w)), kind, tokenHash: createHash('sha256').update(token).digest('hex'), expiresAt: new Date(Date.now() + 3_600_000) },
  });
  return token;
};
const freshSubgroupOfA1 = async (w: World) => (await w.t.group(`Sub ${w.unique()}`, w.A1)).id;
const freshProgram = async (w: World) => (await w.t.program({ referentId: w.people.referent.id, createdById: w.admin.id })).id;
/** An analysed people import of the admin's (one new person). */
const freshImport = async (w: World) => {
  const res = await w.t.as(w.admin, {
    method: 'POST',
    url: '/api/v1/imports/people',
    headers: { 'content-type': 'text/csv' },
    payload: `email,firstName,lastName\nfresh-${w.unique()}@test.covey,Fresh,Import\n`,
  });
  if (res.statusCode !== 201) throw new Error(`fixture import: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
};
const asAdmin = async (w: World, method: 'POST' | 'PUT', url: string, payload?: unknown) => {
  const res = await w.t.as(w.admin, { method, url, payload: payload as never });
  if (res.statusCode >= 300) throw new Error(`fixture ${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>();
};
const freshPostInA1 = async (w: World) =>
  (await w.t.as(w.people.learner, { method: 'POST', url: `/api/v1/groups/${w.A1}/posts`, payload: { body: 'throwaway' } })).json<{ id: string }>().id;
const png = (w: World, field = 'file') => multipart({}, { field, name: 'x.png', type: 'image/png', data: w.png });
const RULE = { attribute: 'department', op: 'eq', value: 'Nowhere' };

export const MATRIX: Row[] = [
  // Health, docs, sessions, tokens: public.
  { op: 'getHealth', public: true, expect: { _: 200 } },
  { op: 'getReadiness', public: true, expect: { _: 200 } },
  { op: 'getSignInMethods', public: true, expect: { _: 200 } },
  // One-time links from the mails: public, each call with a fresh link.
  { op: 'checkLink', public: true, expect: { _: 200 }, req: async (w) => ({ payload: { token: await freshLink(w, 'invite') } }) },
  {
    op: 'acceptInvitation', public: true, expect: { _: 200 },
    req: async (w) => ({ payload: { token: await freshLink(w, 'invite'), password: 'a-chosen-password-7' } }),
  },
  { op: 'forgotPassword', public: true, expect: { _: 202 }, req: (w) => ({ payload: { email: `someone-${w.unique()}@test.covey` } }) },
  {
    op: 'resetPassword', public: true, expect: { _: 200 },
    req: async (w) => ({ payload: { token: await freshLink(w, 'reset'), password: 'a-chosen-password-7' } }),
  },
  {
    op: 'login', public: true, expect: { _: 200 },
    req: async (w) => ({ payload: { email: (await w.t.user('learner')).email, password: 'correct-horse-battery' } }),
  },
  {
    op: 'refreshSession', public: true, expect: { _: 200 },
    req: async (w) => ({ payload: { refreshToken: await refreshToken(w) } }),
  },
  { op: 'logout', public: true, expect: { _: 204 }, req: async (w) => ({ payload: { refreshToken: await refreshToken(w) } }) },
  {
    op: 'issueToken', public: true, expect: { _: 200 },
    req: (w) => ({ payload: { grant_type: 'client_credentials', client_id: w.clientCredentials.clientId, client_secret: w.clientCredentials.clientSecret } }),
  },
  // Group logos are public so that <img> works without a bearer; the id is unguessable.
  { op: 'getFile', public: true, expect: { _: 200 }, req: (w) => ({ params: { fileId: w.logoFileId } }) },

  // The signed-in person: people only, integration clients 403.
  { op: 'getMe', expect: { _: 403, people: 200 } },
  { op: 'updateMe', expect: { _: 403, people: 200 }, req: () => ({ payload: { locale: 'en' } }) },
  // Property-level: the role is not a field of PATCH /me (validation answers 400 before anything else).
  { op: 'updateMe', variant: 'role', expect: { _: 400 }, req: () => ({ payload: { role: 'owner' } }) },
  { op: 'listMyGroups', expect: { _: 403, people: 200 } },
  { op: 'listMyPrograms', expect: { _: 403, people: 200 } },
  { op: 'listMyNotifications', expect: { _: 403, people: 200 } },
  { op: 'markMyNotificationsRead', expect: { _: 403, people: 200 }, req: () => ({ payload: { all: true } }) },
  { op: 'getMyStats', expect: { _: 403, people: 200 } },
  { op: 'listMyDocuments', expect: { _: 403, people: 200 } },
  // Digests are for observers (a group admin role alone is not one): 403 to whoever observes nothing.
  { op: 'previewMyDigest', expect: { _: 403, observer: 200, ancestorObserver: 200 } },

  // Users: admins and user-scoped integrations; observers (and group admins) read the users they cover.
  { op: 'listUsers', expect: { _: 403, admins: 200, cUsersRead: 200, cUsersWrite: 200 } },
  {
    op: 'createUser', expect: { _: 403, admins: 201, cUsersWrite: 201 },
    req: (w) => ({ payload: { email: `new-${w.unique()}@test.covey`, firstName: 'New', lastName: 'User' } }),
  },
  { op: 'getUser', expect: { _: 404, admins: 200, cUsersRead: 200, cUsersWrite: 200, coverA1: 200 } },
  { op: 'getUser', variant: 'B', expect: { _: 404, admins: 200, cUsersRead: 200, cUsersWrite: 200 }, req: (w) => ({ params: { user: w.outsiderPeer.id } }) },
  { op: 'getUser', variant: 'self', only: PEOPLE, expect: { _: 200 }, req: (w, a) => ({ params: { user: w.people[a as 'learner'].id } }) },
  // Without the right to write users the service hides the user (404), even from someone who may read it.
  {
    op: 'updateUser', expect: { _: 404, admins: 200, cUsersWrite: 200 },
    req: async (w) => ({ params: { user: await freshLearnerOfA1(w) }, payload: { firstName: 'Renamed' } }),
  },
  ...(['role', 'status', 'externalId'] as const).map(
    (field): Row => ({
      op: 'updateUser', variant: `self-${field}`,
      only: ['outsider', 'learner', 'observer', 'ancestorObserver', 'groupAdmin', 'referent', 'trainer'],
      expect: { _: 404 },
      req: (w, a) => ({
        params: { user: w.people[a as 'learner'].id },
        payload: { [field]: field === 'role' ? 'admin' : field === 'status' ? 'deactivated' : `stolen-${a}` },
      }),
      after: async (w, a) => {
        const me = await w.t.db.prisma.user.findUniqueOrThrow({ where: { id: w.people[a as 'learner'].id } });
        if (me.role !== w.people[a as 'learner'].role || me.status !== 'active' || me.externalId !== null)
          throw new Error(`${a} changed their own ${field}: ${JSON.stringify({ role: me.role, status: me.status, externalId: me.externalId })}`);
      },
    }),
  ),
  { op: 'deactivateUser', expect: { _: 404, admins: 204, cUsersWrite: 204 }, req: async (w) => ({ params: { user: await freshLearnerOfA1(w) } }) },
  // Invitations and resets are sent by whoever manages the account (by rank); the others learn nothing (404).
  { op: 'sendInvitation', expect: { _: 404, admins: 202, cUsersWrite: 202 }, req: async (w) => ({ params: { user: await freshInvitee(w) } }) },
  {
    op: 'revokeInvitation', expect: { _: 404, admins: 204, cUsersWrite: 204 },
    req: async (w) => {
      const user = await freshInvitee(w);
      await freshLink(w, 'invite', user);
      return { params: { user } };
    },
  },
  { op: 'sendPasswordReset', expect: { _: 404, admins: 202, cUsersWrite: 202 }, req: async (w) => ({ params: { user: await freshLearnerOfA1(w) } }) },
  {
    op: 'upsertUserByExternalId', expect: { _: 403, admins: 201, cUsersWrite: 201 },
    req: (w) => {
      const id = w.unique();
      return { params: { externalId: `ext-${id}` }, payload: { email: `ext-${id}@test.covey`, firstName: 'Ext', lastName: 'User' } };
    },
  },
  { op: 'listUserGroups', expect: { _: 404, admins: 200, cUsersRead: 200, cUsersWrite: 200, coverA1: 200 } },
  { op: 'listUserGroups', variant: 'B', expect: { _: 404, admins: 200, cUsersRead: 200, cUsersWrite: 200 }, req: (w) => ({ params: { user: w.outsiderPeer.id } }) },
  { op: 'listUserEnrollments', expect: { _: 404, admins: 200, cUsersRead: 200, cUsersWrite: 200, coverA1: 200 } },
  { op: 'listUserEnrollments', variant: 'B', expect: { _: 404, admins: 200, cUsersRead: 200, cUsersWrite: 200 }, req: (w) => ({ params: { user: w.outsiderPeer.id } }) },
  {
    op: 'shareDocument', expect: { _: 403, admins: 201 },
    req: (w) => multipart({ title: 'Doc' }, { field: 'file', name: 'd.png', type: 'image/png', data: w.png }),
  },
  // A document: its owner, the people covering them, workspace admins.
  { op: 'downloadDocument', expect: { _: 404, admins: 200, coverA1: 200 }, req: (w) => ({ params: { documentId: w.documentId } }) },

  // Groups. Seeing A1: its members, whoever covers it, trainers, admins and group-scoped integrations.
  { op: 'listGroups', expect: { _: 200 } },
  {
    // `outside` names a group: one the caller does not see answers 422 (its subtree's shape stays hidden); clients
    // without a groups scope list nothing before that.
    op: 'listGroups', variant: 'outside B', expect: { _: 422, clients: 200, outsider: 200, trainers: 200, admins: 200 },
    req: (w) => ({ query: { outside: w.B, manageable: 'true' } }),
  },
  {
    // Under A1: admins, group admins of it and groups:write; the parent must be visible (else 422 invalid_reference).
    op: 'createGroup', expect: { _: 422, learner: 403, observer: 403, ancestorObserver: 403, trainers: 403, cGroupsRead: 403, groupAdmin: 201, admins: 201, cGroupsWrite: 201 },
    req: (w) => ({ payload: { name: `New ${w.unique()}`, parentId: w.A1 } }),
  },
  { op: 'getGroup', expect: { _: 404, learner: 200, coverA1: 200, trainers: 200, admins: 200, cGroupsRead: 200, cGroupsWrite: 200 } },
  { op: 'getGroup', variant: 'B', expect: { _: 404, outsider: 200, trainers: 200, admins: 200, cGroupsRead: 200, cGroupsWrite: 200 }, req: (w) => ({ params: { group: w.B } }) },
  {
    op: 'updateGroup', expect: { _: 404, learner: 403, coverA1: 403, trainers: 403, cGroupsRead: 403, groupAdmin: 200, admins: 200, cGroupsWrite: 200 },
    req: () => ({ payload: { description: 'Same' } }),
  },
  {
    op: 'updateGroup', variant: 'B', expect: { _: 404, outsider: 403, trainers: 403, cGroupsRead: 403, admins: 200, cGroupsWrite: 200 },
    req: (w) => ({ params: { group: w.B }, payload: { description: 'Same' } }),
  },
  {
    // A fresh subgroup of A1: A1's learner does not see it.
    // A group admin deletes what is strictly inside their subtree (the subgroup is under A1, inside A).
    op: 'deleteGroup', expect: { _: 404, observer: 403, ancestorObserver: 403, groupAdmin: 204, trainers: 403, cGroupsRead: 403, admins: 204, cGroupsWrite: 204 },
    req: async (w) => ({ params: { group: await freshSubgroupOfA1(w) } }),
  },
  // Who follows a group and which programs reach it: whoever sees the group.
  { op: 'listGroupObservers', expect: { _: 404, learner: 200, coverA1: 200, trainers: 200, admins: 200, cGroupsRead: 200, cGroupsWrite: 200 } },
  { op: 'listGroupPrograms', expect: { _: 404, learner: 200, coverA1: 200, trainers: 200, admins: 200, cGroupsRead: 200, cGroupsWrite: 200 } },
  { op: 'listGroupMembers', expect: { _: 404, learner: 200, coverA1: 200, trainers: 200, admins: 200, cGroupsRead: 200, cGroupsWrite: 200 } },
  { op: 'listGroupMembers', variant: 'B', expect: { _: 404, outsider: 200, trainers: 200, admins: 200, cGroupsRead: 200, cGroupsWrite: 200 }, req: (w) => ({ params: { group: w.B } }) },
  {
    // By id, someone outside the group admin's reach answers as if they did not exist.
    op: 'setGroupMember', expect: { _: 404, learner: 403, observer: 403, ancestorObserver: 403, trainers: 403, cGroupsRead: 403, groupAdmin: 404, admins: 200, cGroupsWrite: 200 },
    req: async (w) => ({ params: { user: (await w.t.user('learner')).id }, payload: { roles: ['learner'] } }),
  },
  {
    // By exact e-mail, a group admin adds someone from outside their subtree.
    op: 'setGroupMember', variant: 'email', expect: { _: 404, learner: 403, observer: 403, ancestorObserver: 403, trainers: 403, cGroupsRead: 403, groupAdmin: 200, admins: 200, cGroupsWrite: 200 },
    req: async (w) => ({ params: { user: `email:${(await w.t.user('learner')).email}` }, payload: { roles: ['learner'] } }),
  },
  {
    // Object level: A's group admin cannot add people to B.
    op: 'setGroupMember', variant: 'B', expect: { _: 404, outsider: 403, trainers: 403, cGroupsRead: 403, admins: 200, cGroupsWrite: 200 },
    req: async (w) => ({ params: { group: w.B, user: (await w.t.user('learner')).id }, payload: { roles: ['learner'] } }),
  },
  {
    op: 'removeGroupMember', expect: { _: 404, learner: 403, observer: 403, ancestorObserver: 403, trainers: 403, cGroupsRead: 403, groupAdmin: 204, admins: 204, cGroupsWrite: 204 },
    req: async (w) => ({ params: { user: await freshLearnerOfA1(w) } }),
  },
  ...(['setGroupLogo', 'clearGroupLogo', 'setGroupBackground', 'clearGroupBackground'] as const).map(
    (op): Row => ({
      op,
      expect: { _: 404, observer: 403, ancestorObserver: 403, trainers: 403, cGroupsRead: 403, ...(op.startsWith('set') ? { groupAdmin: 200, admins: 200, cGroupsWrite: 200 } : { groupAdmin: 204, admins: 204, cGroupsWrite: 204 }) },
      req: async (w) => ({ params: { group: await freshSubgroupOfA1(w) }, ...(op.startsWith('set') ? png(w) : {}) }),
    }),
  ),
  // Group rules read every profile's attributes: workspace admins only; who sees the group gets 403, others 404.
  ...(['listGroupRules', 'getGroupRule', 'listGroupRuleMembers', 'previewGroupRule'] as const).map(
    (op): Row => ({
      op, expect: { _: 404, learner: 403, coverA1: 403, trainers: 403, cGroupsRead: 403, cGroupsWrite: 403, admins: 200 },
      req: (w) => ({ params: { ruleId: w.ruleId }, ...(op === 'previewGroupRule' ? { payload: { expression: RULE } } : {}) }),
    }),
  ),
  {
    op: 'createGroupRule', expect: { _: 404, learner: 403, coverA1: 403, trainers: 403, cGroupsRead: 403, cGroupsWrite: 403, admins: 201 },
    req: () => ({ payload: { expression: RULE } }),
  },
  {
    op: 'updateGroupRule', expect: { _: 404, learner: 403, coverA1: 403, trainers: 403, cGroupsRead: 403, cGroupsWrite: 403, admins: 200 },
    req: (w) => ({ params: { ruleId: w.ruleId }, payload: { name: 'R' } }),
  },
  {
    op: 'deleteGroupRule', expect: { _: 404, learner: 403, coverA1: 403, trainers: 403, cGroupsRead: 403, cGroupsWrite: 403, admins: 204 },
    req: async (w) => ({ params: { ruleId: (await asAdmin(w, 'POST', `/api/v1/groups/${w.A1}/rules`, { expression: RULE })).id } }),
  },

  // Programs. P is assigned to A: its learners, the referent, A's observers and admins see it; A1's observer does not
  // (covering A1 is not covering the group P is assigned to).
  // Group admins list the published catalogue, to assign programs to the groups they manage.
  { op: 'listPrograms', expect: { _: 403, trainers: 200, admins: 200, groupAdmin: 200 } },
  { op: 'createProgram', expect: { _: 403, trainers: 201, admins: 201 }, req: () => ({ payload: { title: 'New', status: 'draft', steps: [{ title: 'S', content: 'c' }] } }) },
  { op: 'getProgram', expect: { _: 404, learner: 200, coverA: 200, referent: 200, admins: 200 } },
  { op: 'updateProgram', expect: { _: 404, learner: 403, coverA: 403, referent: 200, admins: 200 }, req: () => ({ payload: { description: 'Same' } }) },
  { op: 'deleteProgram', expect: { _: 404, referent: 204, admins: 204 }, req: async (w) => ({ params: { programId: await freshProgram(w) } }) },
  // A group admin assigns a published program to a group they manage (A1, under A).
  { op: 'assignProgram', expect: { _: 404, referent: 200, admins: 200, groupAdmin: 200 }, req: async (w) => ({ params: { programId: await freshProgram(w) } }) },
  {
    // Not to a group they do not manage (B); a program they do not see stays hidden.
    op: 'assignProgram', variant: 'B', expect: { _: 404, groupAdmin: 404, referent: 200, admins: 200 },
    req: async (w) => ({ params: { programId: await freshProgram(w), group: w.B } }),
  },
  {
    // Only published programs: a draft is not in a group admin's catalogue (404), nor assignable by them.
    op: 'assignProgram', variant: 'draft', expect: { _: 404, referent: 200, admins: 200 },
    req: async (w) => ({ params: { programId: (await w.t.program({ referentId: w.people.referent.id, createdById: w.admin.id, status: 'draft' })).id } }),
  },
  {
    // Assigned to A1, the throwaway program is seen (not managed) by A1's learner and whoever covers A1.
    op: 'unassignProgram', expect: { _: 404, learner: 403, observer: 403, ancestorObserver: 403, groupAdmin: 204, referent: 204, admins: 204 },
    req: async (w) => {
      const programId = await freshProgram(w);
      await asAdmin(w, 'PUT', `/api/v1/programs/${programId}/groups/${w.A1}`);
      return { params: { programId } };
    },
  },
  { op: 'listProgramEnrollments', expect: { _: 404, learner: 403, coverA: 200, referent: 200, admins: 200 } },
  { op: 'getProgramStats', expect: { _: 404, learner: 403, coverA: 403, referent: 200, admins: 200 } },
  // Only an enrolled learner completes a step; others who see P are not enrolled (422).
  { op: 'completeStep', expect: { _: 404, learner: 200, coverA: 422, referent: 422, admins: 422, clients: 403 }, req: (w) => ({ params: { stepId: w.P.stepIds[0]! } }) },

  // Community: people only (integration clients 403 everywhere, as on /me); group spaces for members and coverers
  // of the group, and workspace admins; trainers see groups but not their spaces.
  { op: 'listFeeds', expect: { _: 403, people: 200 } },
  { op: 'createFeed', expect: { _: 403, people: 201 }, req: () => ({ payload: { body: 'hello' } }) },
  { op: 'uploadAttachment', expect: { _: 403, people: 201 }, req: (w) => png(w) },
  { op: 'listGroupPosts', expect: { _: 404, clients: 403, learner: 200, coverA1: 200, admins: 200 } },
  { op: 'listGroupPosts', variant: 'B', expect: { _: 404, clients: 403, outsider: 200, admins: 200 }, req: (w) => ({ params: { group: w.B } }) },
  { op: 'createGroupPost', expect: { _: 404, clients: 403, learner: 201, coverA1: 201, admins: 201 }, req: () => ({ payload: { body: 'hi' } }) },
  { op: 'createGroupPost', variant: 'B', expect: { _: 404, clients: 403, outsider: 201, admins: 201 }, req: (w) => ({ params: { group: w.B }, payload: { body: 'hi' } }) },
  { op: 'listProgramComments', expect: { _: 404, clients: 403, learner: 200, coverA: 200, referent: 200, admins: 200 } },
  { op: 'createProgramComment', expect: { _: 404, clients: 403, learner: 201, coverA: 201, referent: 201, admins: 201 }, req: () => ({ payload: { body: 'hi' } }) },
  { op: 'getPost', expect: { _: 404, clients: 403, learner: 200, coverA1: 200, admins: 200 } },
  { op: 'getPost', variant: 'B', expect: { _: 404, clients: 403, outsider: 200, admins: 200 }, req: (w) => ({ params: { postId: w.postB } }) },
  { op: 'getPost', variant: 'programComment', expect: { _: 404, clients: 403, learner: 200, coverA: 200, referent: 200, admins: 200 }, req: (w) => ({ params: { postId: w.programComment } }) },
  { op: 'listComments', expect: { _: 404, clients: 403, learner: 200, coverA1: 200, admins: 200 } },
  { op: 'createComment', expect: { _: 404, clients: 403, learner: 201, coverA1: 201, admins: 201 }, req: () => ({ payload: { body: 'hi' } }) },
  { op: 'createComment', variant: 'B', expect: { _: 404, clients: 403, outsider: 201, admins: 201 }, req: (w) => ({ params: { postId: w.postB }, payload: { body: 'hi' } }) },
  // Only the author edits; moderators (group admins, workspace admins) delete.
  { op: 'updatePost', expect: { _: 404, clients: 403, learner: 200, coverA1: 403, admins: 403 }, req: () => ({ payload: { body: 'A1 post' } }) },
  { op: 'deletePost', expect: { _: 404, clients: 403, learner: 204, observer: 403, ancestorObserver: 403, groupAdmin: 204, admins: 204 }, req: async (w) => ({ params: { postId: await freshPostInA1(w) } }) },
  { op: 'likePost', expect: { _: 404, clients: 403, learner: 200, coverA1: 200, admins: 200 } },
  { op: 'unlikePost', expect: { _: 404, clients: 403, learner: 200, coverA1: 200, admins: 200 } },
  { op: 'likePost', variant: 'B', expect: { _: 404, clients: 403, outsider: 200, admins: 200 }, req: (w) => ({ params: { postId: w.postB } }) },
  { op: 'getPostAttachment', expect: { _: 404, clients: 403, learner: 200, coverA1: 200, admins: 200 }, req: (w) => ({ params: w.attachment }) },

  // Follow-up and statistics: observers and group admins of the group (or an ancestor), workspace admins.
  // Reminders hide the group from trainers (404) although they may read it: stricter than GET, no leak.
  { op: 'sendReminder', expect: { _: 404, learner: 403, coverA1: 201, admins: 201, clients: 403 }, req: () => ({ payload: { segment: 'inactive', message: 'Come back' } }) },
  { op: 'getGroupStats', expect: { _: 404, learner: 403, trainers: 403, cGroupsRead: 403, cGroupsWrite: 403, coverA1: 200, admins: 200 } },
  { op: 'getGroupStats', variant: 'B', expect: { _: 404, outsider: 403, trainers: 403, cGroupsRead: 403, cGroupsWrite: 403, admins: 200 }, req: (w) => ({ params: { group: w.B } }) },
  { op: 'listGroupLearnerStats', expect: { _: 404, learner: 403, trainers: 403, cGroupsRead: 403, cGroupsWrite: 403, coverA1: 200, admins: 200 } },

  // Workspace administration: owners and admins.
  { op: 'listMailbox', expect: { _: 403, admins: 200 } },
  { op: 'getWorkspace', expect: { _: 403, admins: 200 } },
  { op: 'updateWorkspace', expect: { _: 403, admins: 200 }, req: () => ({ payload: { inactiveDays: 14 } }) },
  { op: 'listAuditLog', expect: { _: 403, admins: 200 } },
  { op: 'runObserverDigests', expect: { _: 403, admins: 200 } },
  { op: 'listIntegrationClients', expect: { _: 403, admins: 200 } },
  { op: 'createIntegrationClient', expect: { _: 403, admins: 201 }, req: () => ({ payload: { name: 'x', scopes: ['groups:read'] } }) },
  {
    op: 'revokeIntegrationClient', expect: { _: 403, admins: 204 },
    req: async (w) => ({ params: { clientId: (await asAdmin(w, 'POST', '/api/v1/integrations/clients', { name: 'tmp', scopes: ['bulk'] })).id } }),
  },
  { op: 'listScimTokens', expect: { _: 403, admins: 200 } },
  { op: 'createScimToken', expect: { _: 403, admins: 201 }, req: () => ({ payload: { name: 'tmp' } }) },
  { op: 'revokeScimToken', expect: { _: 403, admins: 204 }, req: async (w) => ({ params: { id: (await asAdmin(w, 'POST', '/api/v1/integrations/scim-tokens', { name: 'tmp' })).id } }) },

  // Bulk: admins and the bulk scope; an operation is readable by whoever submitted it and admins.
  {
    op: 'submitBulkMemberships', expect: { _: 403, admins: 202, cBulk: 202 },
    req: (w) => ({ payload: { operations: [{ op: 'add', user: w.outsiderPeer.id, group: w.B }] } }),
  },
  { op: 'getBulkOperation', expect: { _: 404, admins: 200, cBulk: 200 }, req: (w) => ({ params: { operationId: w.bulkOperationId } }) },

  // People import: admins and users:write; an import is readable by whoever uploaded it and admins. A row of an
  // admin's file that would change the owner or another admin is refused (people-import.test.ts attacks it).
  { op: 'getPeopleImportTemplate', expect: { _: 403, admins: 200, cUsersWrite: 200 } },
  {
    op: 'analysePeopleImport', expect: { _: 403, admins: 201, cUsersWrite: 201 },
    req: (w) => ({ headers: { 'content-type': 'text/csv' }, payload: `email,firstName,lastName\nimp-${w.unique()}@test.covey,Imp,Orted\n` }),
  },
  { op: 'getPeopleImport', expect: { _: 404, admins: 200 }, req: async (w) => ({ params: { importId: await freshImport(w) } }) },
  { op: 'listPeopleImportRows', expect: { _: 404, admins: 200 }, req: async (w) => ({ params: { importId: await freshImport(w) } }) },
  {
    op: 'applyPeopleImport', expect: { _: 403, admins: 202, cUsersWrite: 404 },
    req: async (w) => ({ params: { importId: await freshImport(w) }, payload: { invite: false } }),
  },

  // Webhooks: admins and the webhooks scope.
  { op: 'listWebhooks', expect: { _: 403, admins: 200, cWebhooks: 200 } },
  { op: 'createWebhook', expect: { _: 403, admins: 201, cWebhooks: 201 }, req: () => ({ payload: { url: 'https://hooks.example.com/h', events: ['group.created'] } }) },
  { op: 'updateWebhook', expect: { _: 403, admins: 200, cWebhooks: 200 }, req: (w) => ({ params: { webhookId: w.webhookId }, payload: { description: 'Same' } }) },
  {
    op: 'deleteWebhook', expect: { _: 403, admins: 204, cWebhooks: 204 },
    req: async (w) => ({ params: { webhookId: (await asAdmin(w, 'POST', '/api/v1/webhooks', { url: 'https://hooks.example.com/t', events: ['*'] })).id } }),
  },
  { op: 'listWebhookDeliveries', expect: { _: 403, admins: 200, cWebhooks: 200 }, req: (w) => ({ params: { webhookId: w.webhookId } }) },
  { op: 'replayWebhookDelivery', expect: { _: 403, admins: 202, cWebhooks: 202 }, req: (w) => ({ params: { webhookId: w.webhookId, deliveryId: w.deliveryId } }) },
];

/**
 * The target dimension: every operation on a person x the target's rank (owner, admin, trainer, learner, and a
 * learner outside A1, so outside the reach of A's observers and group admins) x every actor. Each call gets a fresh
 * target: a learner member of A1 holding that workspace role (the outside one is a learner of B). Authority over an
 * account follows rank (owners manage everyone, admins and users:write clients manage trainers and learners);
 * nobody but the person sets a password; a group admin never pulls the owner or an admin into a group.
 */
export const TARGETS = ['owner', 'admin', 'trainer', 'learner', 'outside'] as const;
type Target = (typeof TARGETS)[number];
const freshTarget = async (w: World, target: Target) => {
  const u = await w.t.user(target === 'outside' ? 'learner' : target);
  await w.t.member(target === 'outside' ? w.B : w.A1, u.id, 'learner');
  return u;
};
const unchanged = (field: 'firstName' | 'email' | 'role' | 'status' | 'passwordHash') => async (w: World, _a: Actor, id: string, before: Record<string, unknown>) => {
  const now = await w.t.db.prisma.user.findUniqueOrThrow({ where: { id } });
  if (now[field] !== before[field]) throw new Error(`${field} of a ${String(before.role)} changed by a refused call`);
};
/** Who may manage an account of this rank (by PATCH or DELETE): owners always, admins and users:write below admin. */
const manageCells = (target: Target, ok: Status): Cells =>
  target === 'owner' || target === 'admin' ? { _: 404, cUsersRead: 404, owner: ok, admin: 403, cUsersWrite: 403 } : { _: 404, admins: ok, cUsersWrite: ok };
const readCells = (target: Target): Cells =>
  target === 'outside'
    ? { _: 404, admins: 200, cUsersRead: 200, cUsersWrite: 200 }
    : { _: 404, admins: 200, cUsersRead: 200, cUsersWrite: 200, coverA1: 200 };

type TargetRow = Omit<Row, 'req' | 'after'> & {
  req: (w: World, actor: Actor, target: { id: string; email: string }) => Request;
  after?: (w: World, actor: Actor, id: string, before: Record<string, unknown>) => Promise<void>;
};
function targetRows(target: Target, rows: TargetRow[]): Row[] {
  return rows.map((row) => {
    let last: { id: string; before: Record<string, unknown> } | null = null;
    return {
      ...row,
      variant: `${row.variant}@${target}`,
      req: async (w: World, actor: Actor) => {
        const u = await freshTarget(w, target);
        last = { id: u.id, before: await w.t.db.prisma.user.findUniqueOrThrow({ where: { id: u.id } }) };
        return row.req(w, actor, u);
      },
      after: row.after
        ? async (w: World, actor: Actor) => {
            if (last && expected({ ...row, req: undefined, after: undefined }, actor) >= 400) await row.after!(w, actor, last.id, last.before);
          }
        : undefined,
    };
  });
}

export const TARGET_MATRIX: Row[] = TARGETS.flatMap((target) =>
  targetRows(target, [
    { op: 'getUser', variant: 'profile', expect: readCells(target), req: (_w, _a, u) => ({ params: { user: u.id } }) },
    {
      op: 'updateUser', variant: 'name', expect: manageCells(target, 200),
      req: (_w, _a, u) => ({ params: { user: u.id }, payload: { firstName: 'Renamed' } }), after: unchanged('firstName'),
    },
    {
      op: 'updateUser', variant: 'email', expect: manageCells(target, 200),
      req: (w, _a, u) => ({ params: { user: u.id }, payload: { email: `moved-${w.unique()}@test.covey` } }), after: unchanged('email'),
    },
    {
      op: 'updateUser', variant: 'role', expect: manageCells(target, 200),
      req: (_w, _a, u) => ({ params: { user: u.id }, payload: { role: 'learner' } }), after: unchanged('role'),
    },
    {
      op: 'updateUser', variant: 'status', expect: manageCells(target, 200),
      req: (_w, _a, u) => ({ params: { user: u.id }, payload: { status: 'deactivated' } }), after: unchanged('status'),
    },
    {
      // Nobody but the person sets a password: whoever may manage the account gets 403 too.
      op: 'updateUser', variant: 'password', expect: { ...manageCells(target, 403), owner: 403 },
      req: (_w, _a, u) => ({ params: { user: u.id }, payload: { password: 'a-new-password-123' } }), after: unchanged('passwordHash'),
    },
    { op: 'deactivateUser', variant: 'deactivate', expect: manageCells(target, 204), req: (_w, _a, u) => ({ params: { user: u.id } }), after: unchanged('status') },
    {
      op: 'deactivateUser', variant: 'erase', expect: manageCells(target, 204),
      req: (_w, _a, u) => ({ params: { user: u.id }, query: { erase: 'true' } }), after: unchanged('email'),
    },
    {
      // Pulled into A1 by exact e-mail: a group admin adds trainers and learners from anywhere, never the owner or an
      // admin (404, as for nobody); who sees A1 without managing it gets 403.
      op: 'setGroupMember', variant: 'pull',
      expect: {
        _: 404, learner: 403, observer: 403, ancestorObserver: 403, trainers: 403, cGroupsRead: 403, admins: 200, cGroupsWrite: 200,
        groupAdmin: target === 'owner' || target === 'admin' ? 404 : 200,
      },
      req: (_w, _a, u) => ({ params: { user: `email:${u.email}` }, payload: { roles: ['observer'] } }),
    },
  ]),
);

/** SCIM (not in the OpenAPI document): the SCIM token only; people's and clients' bearers get 401. */
export const SCIM_ROWS: { method: 'GET' | 'POST'; url: string; payload?: (w: World) => unknown; expect: Status }[] = [
  { method: 'GET', url: '/scim/v2/ServiceProviderConfig', expect: 200 },
  { method: 'GET', url: '/scim/v2/Users', expect: 200 },
  { method: 'GET', url: '/scim/v2/Groups', expect: 200 },
  {
    method: 'POST', url: '/scim/v2/Users', expect: 201,
    payload: (w) => {
      const email = `scim-${w.unique()}@test.covey`;
      return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: email, name: { givenName: 'S', familyName: 'C' }, emails: [{ value: email, primary: true }], active: true };
    },
  },
];

/**
 * Cells where the server differs from the table because of a defect, reported rather than hidden. The test prints
 * them, and fails when one starts to match the table (so the entry gets removed) or changes.
 */
export const knownIssues: { cell: string; actual: number; why: string }[] = [];

async function refreshToken(w: World) {
  const user = await w.t.user('learner');
  const res = await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: 'correct-horse-battery' } });
  return res.json<{ refreshToken: string }>().refreshToken;
}

export { ACTORS };
