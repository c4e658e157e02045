import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDisposition } from '../../src/lib/disposition.ts';
import { checkWebhookUrl, isPublicAddress } from '../../src/lib/webhook-target.ts';
import { multipart } from '../authz/world.ts';
import { createTestContext, type TestContext, type TestUser } from '../helpers.ts';
import { scimClient, type Scim } from '../scim/client.ts';

/**
 * The protocol corpus (issue 17): crafted cursors, SCIM filters, file names, webhook targets and token requests,
 * each a known case first, then FUZZ_RUNS generated ones (`pnpm fuzz` runs 2000). Never a 5xx; every refusal is
 * the documented one.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const options = { numRuns: RUNS, seed: SEED, endOnFailure: true };

let t: TestContext;
let admin: TestUser;
let scim: Scim;
let group: string;
let png: Buffer;
beforeAll(async () => {
  t = await createTestContext({ CLIENT_RATE_LIMIT: '100000', API_RATE_LIMIT: '1000000' });
  admin = await t.user('admin');
  ({ scim } = await scimClient(t, admin));
  group = (await t.group('Fuzzed')).id;
  await t.member(group, admin.id, 'admin');
  png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer();
}, 120_000);
afterAll(async () => t?.close());

const no5xx = (res: LightMyRequestResponse, what: string) => expect(res.statusCode, `${what} -> ${res.body.slice(0, 200)}`).toBeLessThan(500);
const b64 = (value: string) => Buffer.from(value).toString('base64url');
const PAGED = ['/api/v1/users', '/api/v1/groups', '/api/v1/feed', '/api/v1/me/notifications', '/api/v1/admin/audit', '/api/v1/programs', '/api/v1/admin/mailbox'];

describe('protocol corpus', () => {
  it('cursors: any JSON, any bytes, on every kind of list: 200 or 400 invalid_cursor, never 5xx', async () => {
    const cursor = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }).map((v) => b64(JSON.stringify(v))),
      fc.tuple(fc.oneof(fc.string(), fc.integer(), fc.double(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), fc.oneof(fc.uuid(), fc.string())).map((v) => b64(JSON.stringify(v))),
      fc.string({ maxLength: 80 }),
      fc.constantFrom('WzEsMl0', 'W10', 'bnVsbA', '', '%00', 'Wy1pbmZpbml0eSwiYSJd'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PAGED, `/api/v1/groups/${group}/posts`, `/api/v1/groups/${group}/stats/learners`, `/api/v1/groups/${group}/members`), cursor, async (url, c) => {
        const res = await t.as(admin, { method: 'GET', url, query: { cursor: c } });
        no5xx(res, `${url} cursor=${c.slice(0, 60)}`);
        if (res.statusCode === 400) expect(res.json<{ code: string }>().code).toMatch(/^(invalid_cursor|validation_failed)$/);
      }),
      options,
    );
  });

  it('SCIM filters: deep, long, chained, unbalanced: 200 or 400, never 5xx', async () => {
    const term = fc.constantFrom('userName eq "a@b.c"', 'emails[type eq "work"]', 'active eq true', 'name.givenName sw "A"', 'meta.lastModified gt "2020-01-01T00:00:00Z"', 'x', '"', '(', ')', '[', ']');
    const filter = fc.letrec<{ f: string }>((tie) => ({
      f: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        term,
        fc.tuple(tie('f'), fc.constantFrom(' and ', ' or '), tie('f')).map(([a, op, b]) => `${a}${op}${b}`),
        tie('f').map((f) => `not (${f})`),
        tie('f').map((f) => `(${f})`),
      ),
    })).f;
    const generated = fc.oneof(
      filter,
      fc.nat({ max: 6000 }).map((n) => `${'('.repeat(n)}userName eq "x"${')'.repeat(n)}`),
      fc.nat({ max: 400 }).map((n) => `${'not ('.repeat(n)}userName eq "x"${')'.repeat(n)}`),
      fc.nat({ max: 300 }).map((n) => Array(n + 1).fill('userName eq "x"').join(' and ')),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('Users', 'Groups'), generated, async (resource, f) => {
        const res = await scim('GET', `/${resource}?filter=${encodeURIComponent(f)}`);
        no5xx(res, `${resource} filter=${f.slice(0, 80)}`);
        if (res.statusCode === 400) expect(res.json<{ scimType?: string }>().scimType).toMatch(/^(invalidFilter|invalidValue)$/);
      }),
      options,
    );
  });

  it('file names: any text makes a header that parses back, and uploads of any name download', async () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 })), (name) => {
        const header = contentDisposition('attachment', name, 'file');
        expect(() => new Headers({ 'content-disposition': header })).not.toThrow();
      }),
      { ...options, numRuns: RUNS * 20 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => !/["\r\n\\]/.test(s)), async (name) => {
        const up = await t.as(admin, { method: 'POST', url: '/api/v1/attachments', ...multipart({}, { field: 'file', name: `${name}.png`, type: 'image/png', data: png }) });
        no5xx(up, `upload ${name}`);
        if (up.statusCode !== 201) return;
        const fileId = up.json<{ id: string }>().id;
        const post = await t.as(admin, { method: 'POST', url: `/api/v1/groups/${group}/posts`, payload: { body: 'f', attachmentIds: [fileId] } });
        const down = await t.as(admin, { method: 'GET', url: `/api/v1/posts/${post.json<{ id: string }>().id}/attachments/${fileId}` });
        expect(down.statusCode, `download ${name}`).toBe(200);
      }),
      { ...options, numRuns: Math.max(5, Math.round(RUNS / 3)) },
    );
  });

  it('webhook targets: any encoding of an internal IPv4 address is refused when saved', async () => {
    const internal = fc.oneof(
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(0), fc.nat(255), fc.nat(255), fc.nat(255)),
    );
    const spell = ([a, b, c, d]: number[]) => {
      const n = ((a! << 24) >>> 0) + (b! << 16) + (c! << 8) + d!;
      return fc.constantFrom(
        `${a}.${b}.${c}.${d}`,
        String(n),
        `0x${n.toString(16)}`,
        `0${a!.toString(8)}.${b}.${c}.${d}`,
        `${a}.${(b! << 16) + (c! << 8) + d!}`,
        `[::ffff:${a}.${b}.${c}.${d}]`,
        `[::ffff:${((a! << 8) + b!).toString(16)}:${((c! << 8) + d!).toString(16)}]`,
      );
    };
    await fc.assert(
      fc.asyncProperty(internal.chain(spell), fc.constantFrom('http', 'https'), async (host, scheme) => {
        await expect(checkWebhookUrl(`${scheme}://${host}/hook`, false)).rejects.toMatchObject({ code: 'webhook_target_refused' });
        const res = await t.as(admin, { method: 'POST', url: '/api/v1/webhooks', payload: { url: `${scheme}://${host}:8080/h`, events: ['*'] } });
        expect(res.statusCode, host).toBe(400);
      }),
      options,
    );
    // Unique-local, link-local, site-local and multicast IPv6 (fc00::/7, fe80::/10, fec0::/10, ff00::/8) never pass.
    fc.assert(
      fc.property(fc.constantFrom('fc', 'fd', 'fe8', 'fe9', 'fea', 'feb', 'ff'), fc.array(fc.nat(0xffff), { minLength: 7, maxLength: 7 }), (prefix, rest) => {
        const first = `${prefix}${'0'.repeat(4 - prefix.length)}`;
        expect(isPublicAddress([first, ...rest.map((n) => n.toString(16))].join(':'))).toBe(false);
      }),
      { ...options, numRuns: RUNS * 10 },
    );
  });

  it('token requests: any form answers JSON RFC 6749 errors, never 5xx', async () => {
    const field = fc.oneof(fc.string({ maxLength: 40 }), fc.constant('client_credentials'), fc.string({ unit: 'binary', maxLength: 20 }));
    await fc.assert(
      fc.asyncProperty(
        fc.record({ grant_type: field, client_id: field, client_secret: field, scope: field }, { requiredKeys: [] }),
        fc.option(fc.string({ maxLength: 60 })),
        fc.constantFrom('form', 'json'),
        async (body, basic, encoding) => {
          const headers: Record<string, string> = {};
          if (basic !== null) headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
          const payload = encoding === 'form' ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body);
          headers['content-type'] = encoding === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
          const res = await t.app.inject({ method: 'POST', url: '/api/v1/oauth/token', payload, headers });
          no5xx(res, `token ${payload.slice(0, 100)}`);
          if (res.statusCode === 400 || res.statusCode === 401) {
            expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
            expect(res.json<{ error: string }>().error).toMatch(/^(invalid_request|invalid_client|unsupported_grant_type|invalid_scope)$/);
          }
        },
      ),
      options,
    );
  });
});
