import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, MAX_FILTER_TERMS } from '../../src/modules/scim/filter.ts';
import { createTestContext, type TestContext } from '../helpers.ts';
import { ERROR, PATCH_OP, scimClient, type Scim } from '../scim/client.ts';

/** SCIM filters are bounded in length, comparisons and depth: past them 400 invalidFilter, never a 500 or a stack overflow. */
let t: TestContext;
let scim: Scim;
let userId: string;
beforeAll(async () => {
  t = await createTestContext();
  ({ scim } = await scimClient(t, await t.user('admin')));
  const created = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'filter@x.test', name: { givenName: 'F', familyName: 'X' }, emails: [{ value: 'filter@x.test', type: 'work', primary: true }] });
  expect(created.statusCode, created.body).toBe(201);
  userId = created.json<{ id: string }>().id;
}, 180_000);
afterAll(async () => t?.close());

const list = (resource: 'Users' | 'Groups', filter: string) => scim('GET', `/${resource}?filter=${encodeURIComponent(filter)}`);
const refused = (res: Awaited<ReturnType<Scim>>, scimType = 'invalidFilter') => {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
  expect(res.json()).toMatchObject({ schemas: [ERROR], status: '400', scimType });
};
const term = 'userName eq "filter@x.test"';

describe('SCIM filter bounds', () => {
  it.each(['Users', 'Groups'] as const)('%s: 100 chained and, 150 nested not, 5,000 parentheses and long filters answer 400 invalidFilter', async (resource) => {
    const attr = resource === 'Users' ? 'userName' : 'displayName';
    const one = `${attr} eq "x"`;
    refused(await list(resource, Array(100).fill(one).join(' and ')));
    refused(await list(resource, Array(100).fill(one).join(' or ')));
    refused(await list(resource, `${'not ('.repeat(150)}${one}${')'.repeat(150)}`));
    refused(await list(resource, `${'('.repeat(5000)}${one}${')'.repeat(5000)}`));
    refused(await list(resource, `${'('.repeat(5000)}`));
    refused(await list(resource, `${attr} eq "${'x'.repeat(MAX_FILTER_LENGTH)}"`));
    refused(await list(resource, `emails[${'('.repeat(200)}value eq "x"${')'.repeat(200)}]`));
  });

  it('filters within the bounds still work, chains flattened', async () => {
    const within = Array(MAX_FILTER_TERMS).fill(term).join(' and ');
    const res = await list('Users', within);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json<{ totalResults: number }>().totalResults).toBe(1);
    refused(await list('Users', Array(MAX_FILTER_TERMS + 1).fill(term).join(' and ')));
    // An even number of negations, as deep as allowed: the same one person.
    const nots = 2 * Math.floor(MAX_FILTER_DEPTH / 2);
    const deep = `${'not ('.repeat(nots)}${term}${')'.repeat(nots)}`;
    const nested = await list('Users', deep);
    expect(nested.statusCode, nested.body.slice(0, 300)).toBe(200);
    expect(nested.json<{ Resources: { id: string }[] }>().Resources.map((r) => r.id)).toEqual([userId]);
    refused(await list('Users', `${'('.repeat(MAX_FILTER_DEPTH + 1)}${term}${')'.repeat(MAX_FILTER_DEPTH + 1)}`));
    const ors = await list('Users', Array(MAX_FILTER_TERMS).fill('userName eq "nobody@x.test"').concat(term).slice(1).join(' or '));
    expect(ors.json<{ totalResults: number }>().totalResults).toBe(1);
  });

  it('PATCH paths are bounded the same way (400 invalidPath)', async () => {
    const path = `emails[${'('.repeat(500)}type eq "work"${')'.repeat(500)}].value`;
    const res = await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path, value: 'y@x.test' }] });
    refused(res, 'invalidPath');
  });
});
