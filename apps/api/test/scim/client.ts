import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestContext, TestUser } from '../helpers.ts';

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type Scim = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  headers?: Record<string, string>,
) => Promise<LightMyRequestResponse>;

/** A SCIM token made through the admin API, and a client that speaks application/scim+json with it. */
export async function scimClient(
  t: TestContext,
  admin: TestUser,
  name = 'idp',
): Promise<{ token: string; id: string; scim: Scim }> {
  const created = await t.as(admin, { method: 'POST', url: '/api/v1/integrations/scim-tokens', payload: { name } });
  expect(created.statusCode).toBe(201);
  const { token, id } = created.json<{ token: string; id: string }>();
  const scim: Scim = (method, url, payload, headers = {}) =>
    t.app.inject({
      method,
      url: `/scim/v2${url}`,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/scim+json',
        ...(payload === undefined ? {} : { 'content-type': 'application/scim+json; charset=utf-8' }),
        ...headers,
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  return { token, id, scim };
}

/** Asserts a SCIM Error message (RFC 7644 section 3.12) and returns it. */
export function scimError(response: LightMyRequestResponse, status: number, scimType?: string) {
  const body = response.json<{ schemas: string[]; status: string; scimType?: string; detail: string }>();
  expect(response.statusCode, JSON.stringify(body)).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/scim\+json/);
  expect(body.schemas).toEqual([ERROR]);
  expect(body.status).toBe(String(status));
  if (scimType) expect(body.scimType).toBe(scimType);
  return body;
}

export const scimUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [SCIM_USER],
  userName,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: userName, type: 'work', primary: true }],
  active: true,
  ...extra,
});

export const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
