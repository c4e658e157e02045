import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { TestContext, TestUser } from '../helpers.ts';

/**
 * The fixture world of the authorization matrix, built once per file:
 *
 *   A (observer: ancestorObserver, admin: groupAdmin) ─ A1 (learner: learner, learner2; observer: observer)
 *   B (learner: outsider, outsiderPeer)
 *
 * Program P (created by admin, referent: referent) assigned to A, so learner and learner2 are enrolled.
 * Objects: posts in A1 and B, a comment on P, a post attachment, A1's logo, a document of learner2, a group rule
 * on A1, a bulk operation of the bulk client, a webhook with one delivery.
 */
export const PEOPLE = ['outsider', 'learner', 'observer', 'ancestorObserver', 'groupAdmin', 'referent', 'trainer', 'admin', 'owner'] as const;
export const CLIENTS = ['cUsersRead', 'cUsersWrite', 'cGroupsRead', 'cGroupsWrite', 'cBulk', 'cWebhooks'] as const;
export const ACTORS = ['anonymous', ...PEOPLE, ...CLIENTS, 'scim'] as const;
export type Person = (typeof PEOPLE)[number];
export type Client = (typeof CLIENTS)[number];
export type Actor = (typeof ACTORS)[number];

const CLIENT_SCOPES: Record<Client, string> = {
  cUsersRead: 'users:read',
  cUsersWrite: 'users:write',
  cGroupsRead: 'groups:read',
  cGroupsWrite: 'groups:write',
  cBulk: 'bulk',
  cWebhooks: 'webhooks',
};

export type World = {
  t: TestContext;
  tokens: Record<Actor, string | null>;
  people: Record<Person, TestUser>;
  learner2: TestUser;
  outsiderPeer: TestUser;
  A: string;
  A1: string;
  B: string;
  P: { id: string; stepIds: string[] };
  postA1: string;
  postB: string;
  programComment: string;
  attachment: { postId: string; fileId: string };
  logoFileId: string;
  documentId: string;
  ruleId: string;
  bulkOperationId: string;
  webhookId: string;
  deliveryId: string;
  clientCredentials: { clientId: string; clientSecret: string };
  png: Buffer;
  admin: TestUser;
  /** A unique suffix for throwaway names and e-mails. */
  unique(): string;
};

/** A multipart/form-data body with text fields and one file. */
export function multipart(fields: Record<string, string>, file: { field: string; name: string; type: string; data: Buffer }) {
  const boundary = `----covey${randomUUID().replace(/-/g, '')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function buildWorld(t: TestContext): Promise<World> {
  let n = 0;
  const unique = () => `${++n}${randomUUID().slice(0, 6)}`;
  const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, status: number): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as T;
  };
  const [outsider, learner, observer, ancestorObserver, groupAdmin, referent, trainer, admin, owner, learner2, outsiderPeer] = await Promise.all([
    t.user('learner'), t.user('learner'), t.user('learner'), t.user('learner'), t.user('learner'),
    t.user('trainer'), t.user('trainer'), t.user('admin'), t.user('owner'), t.user('learner'), t.user('learner'),
  ]);
  const people = { outsider, learner, observer, ancestorObserver, groupAdmin, referent, trainer, admin, owner };
  const A = (await t.group('A')).id;
  const A1 = (await t.group('A1', A)).id;
  const B = (await t.group('B')).id;
  await t.member(A, ancestorObserver.id, 'observer');
  await t.member(A, groupAdmin.id, 'admin');
  await t.member(A1, observer.id, 'observer');
  await t.member(A1, learner.id, 'learner');
  await t.member(A1, learner2.id, 'learner');
  await t.member(B, outsider.id, 'learner');
  await t.member(B, outsiderPeer.id, 'learner');
  const P = await t.program({ referentId: referent.id, createdById: admin.id });
  ok(await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${P.id}/groups/${A}` }), 200);

  const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#3366cc' } }).png().toBuffer();
  const postA1 = ok<{ id: string }>(await t.as(learner, { method: 'POST', url: `/api/v1/groups/${A1}/posts`, payload: { body: 'A1 post' } }), 201).id;
  const postB = ok<{ id: string }>(await t.as(outsider, { method: 'POST', url: `/api/v1/groups/${B}/posts`, payload: { body: 'B post' } }), 201).id;
  const programComment = ok<{ id: string }>(
    await t.as(learner, { method: 'POST', url: `/api/v1/programs/${P.id}/comments`, payload: { body: 'P comment' } }),
    201,
  ).id;
  const upload = multipart({}, { field: 'file', name: 'a.png', type: 'image/png', data: png });
  const fileId = ok<{ id: string }>(await t.as(learner, { method: 'POST', url: '/api/v1/attachments', ...upload }), 201).id;
  const withAttachment = ok<{ id: string }>(
    await t.as(learner, { method: 'POST', url: `/api/v1/groups/${A1}/posts`, payload: { body: 'with file', attachmentIds: [fileId] } }),
    201,
  ).id;
  const logo = multipart({}, { field: 'file', name: 'logo.png', type: 'image/png', data: png });
  ok(await t.as(admin, { method: 'PUT', url: `/api/v1/groups/${A1}/logo`, ...logo }), 200);
  const logoFileId = (await t.db.prisma.group.findUniqueOrThrow({ where: { id: A1 } })).logoFileId as string;
  expect(logoFileId).toBeTruthy();
  const doc = multipart({ title: 'Certificate' }, { field: 'file', name: 'c.png', type: 'image/png', data: png });
  const documentId = ok<{ id: string }>(await t.as(admin, { method: 'POST', url: `/api/v1/users/${learner2.id}/documents`, ...doc }), 201).id;
  const ruleId = ok<{ id: string }>(
    await t.as(admin, { method: 'POST', url: `/api/v1/groups/${A1}/rules`, payload: { name: 'R', expression: { attribute: 'department', op: 'eq', value: 'Nowhere' } } }),
    201,
  ).id;

  const tokens = { anonymous: null } as Record<Actor, string | null>;
  for (const p of PEOPLE) tokens[p] = people[p].token;
  let clientCredentials = { clientId: '', clientSecret: '' };
  for (const c of CLIENTS) {
    const created = ok<{ clientId: string; clientSecret: string }>(
      await t.as(admin, { method: 'POST', url: '/api/v1/integrations/clients', payload: { name: c, scopes: [CLIENT_SCOPES[c]] } }),
      201,
    );
    if (c === 'cUsersRead') clientCredentials = created;
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/v1/oauth/token',
      payload: { grant_type: 'client_credentials', client_id: created.clientId, client_secret: created.clientSecret },
    });
    tokens[c] = ok<{ access_token: string }>(token, 200).access_token;
  }
  tokens.scim = ok<{ token: string }>(await t.as(admin, { method: 'POST', url: '/api/v1/integrations/scim-tokens', payload: { name: 'idp' } }), 201).token;

  const bulk = await t.app.inject({
    method: 'POST',
    url: '/api/v1/bulk/memberships',
    headers: { authorization: `Bearer ${tokens.cBulk}` },
    payload: { operations: [{ op: 'add', user: outsiderPeer.id, group: B }] },
  });
  const bulkOperationId = ok<{ id: string }>(bulk, 202).id;
  const webhookId = ok<{ id: string }>(
    await t.as(admin, { method: 'POST', url: '/api/v1/webhooks', payload: { url: 'https://hooks.example.com/hook', events: ['*'] } }),
    201,
  ).id;
  // Deliveries are made by the dispatcher (not running in tests): one is written as the dispatcher would.
  const event = await t.db.prisma.outboxEvent.create({ data: { type: 'group.updated', payload: { groupId: A1 } } });
  const delivery = await t.db.prisma.webhookDelivery.create({ data: { endpointId: webhookId, eventId: event.id, status: 'failed', attempts: 3 } });

  return {
    t, tokens, people, learner2, outsiderPeer, A, A1, B, P, postA1, postB, programComment,
    attachment: { postId: withAttachment, fileId }, logoFileId, documentId, ruleId, bulkOperationId, webhookId,
    deliveryId: delivery.id, clientCredentials, png, admin, unique,
  };
}
