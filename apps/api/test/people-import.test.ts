import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processPeopleImport } from '../src/modules/imports/people-apply.ts';
import { createInParts, createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

let t: TestContext;
let owner: TestUser, admin: TestUser, otherAdmin: TestUser, learner: TestUser, groupAdmin: TestUser;
let tag: string;
let france: { id: string }, paris: { id: string }, lyon: { id: string };

beforeAll(async () => {
  t = await createTestContext({ COVEY_TEST_JOBS: '1' });
  tag = randomUUID().slice(0, 8);
  [owner, admin, otherAdmin, learner, groupAdmin] = await Promise.all([
    t.user('owner'),
    t.user('admin'),
    t.user('admin'),
    t.user('learner'),
    t.user('learner'),
  ]);
  france = await t.group(`France ${tag}`);
  paris = await t.group('Paris', france.id);
  lyon = await t.group('Lyon', france.id, { externalId: `lyon-${tag}` });
  await t.member(paris.id, groupAdmin.id, 'admin');
}, 60_000);
afterAll(async () => t?.close());

const csv = (lines: string[]) => Buffer.from(lines.join('\n'));
const upload = (who: TestUser, body: Buffer | string, type = 'text/csv') =>
  t.as(who, { method: 'POST', url: '/api/v1/imports/people', headers: { 'content-type': type }, payload: body });
const rowsOf = async (who: TestUser, id: string) =>
  (await t.as(who, { method: 'GET', url: `/api/v1/imports/people/${id}/rows?limit=1000` })).json<{
    items: { line: number; email: string | null; plan: string; result: string | null; code: string | null; changes: string[] }[];
  }>().items;

async function waitDone(id: string, who: TestUser = admin) {
  for (let i = 0; i < 1200; i++) {
    const res = await t.as(who, { method: 'GET', url: `/api/v1/imports/people/${id}` });
    if (['completed', 'failed'].includes(res.json().status)) return res.json();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}

/** What an import must not have touched before it is applied. */
const footprint = async () => ({
  users: await t.db.prisma.user.count(),
  memberships: await t.db.prisma.membership.count(),
  events: await t.db.prisma.outboxEvent.count(),
  mails: await t.db.prisma.mailMessage.count(),
});

describe('people import', () => {
  it('answers the template as CSV, to admins only', async () => {
    const res = await t.as(admin, { method: 'GET', url: '/api/v1/imports/people/template?example=true' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('email,externalId,firstName,lastName,role,groups');
    expect(res.body.split('\r\n').filter(Boolean)).toHaveLength(3);
    problem(await t.as(learner, { method: 'GET', url: '/api/v1/imports/people/template' }), 403);
  });

  it('dry run: a report per row, nothing written; apply: exactly the valid rows, once', async () => {
    const existing = await t.user('learner', { externalId: `hr-${tag}-1` });
    const unchanged = await t.user('learner');
    await t.member(paris.id, unchanged.id, 'learner');
    const program = await t.program();
    await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${france.id}` });
    const file = csv([
      'Email,External ID,First name,Last name,Role,Groups',
      `new1-${tag}@import.test,,Ana,Lima,learner,France ${tag}/Paris|ext:lyon-${tag}:observer`,
      `new2-${tag}@import.test,hr-${tag}-2,Omar,Haddad,trainer,"france ${tag} / LYON ; France ${tag}/Paris:admin"`,
      `,hr-${tag}-1,Renamed,,,France ${tag}/Paris`,
      `${unchanged.email},,,,,France ${tag}/Paris`,
      `not-an-email,,X,Y,,`,
      `new3-${tag}@import.test,,No,Group,,France ${tag}/Marseille`,
      `NEW1-${tag}@import.test,,Ana,Again,,`,
      `${owner.email},,Taken,Over,admin,`,
      `${otherAdmin.email},,,,learner,`,
      `new4-${tag}@import.test,,Too,High,owner,`,
      `new5-${tag}@import.test,,,,,`,
    ]);
    const before = await footprint();
    const res = await upload(admin, file);
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(res.headers.location).toBe(`/api/v1/imports/people/${created.id}`);
    expect(created).toMatchObject({ status: 'ready', total: 11, processed: 0, result: null, plan: { created: 2, updated: 1, unchanged: 1, refused: 7 } });
    expect(await footprint()).toEqual(before);

    const report = await rowsOf(admin, created.id);
    expect(report.map((r) => [r.line, r.plan, r.code])).toEqual([
      [2, 'created', null],
      [3, 'created', null],
      [4, 'updated', null],
      [5, 'unchanged', null],
      [6, 'refused', 'invalid_email'],
      [7, 'refused', 'unknown_group'],
      [8, 'refused', 'duplicate_row'],
      [9, 'refused', 'rank'],
      [10, 'refused', 'rank'],
      [11, 'refused', 'invalid_role'],
      [12, 'refused', 'missing_name'],
    ]);
    expect(report[2]!.changes).toEqual(['firstName', `+France ${tag}/Paris`]);

    const applied = await t.as(admin, { method: 'POST', url: `/api/v1/imports/people/${created.id}/apply`, payload: {} });
    expect(applied.statusCode).toBe(202);
    expect(applied.headers.location).toBe(`/api/v1/imports/people/${created.id}`);
    const done = await waitDone(created.id);
    expect(done).toMatchObject({ status: 'completed', processed: 11, result: { created: 2, updated: 1, unchanged: 1, refused: 7 } });
    problem(await t.as(admin, { method: 'POST', url: `/api/v1/imports/people/${created.id}/apply`, payload: {} }), 409);

    const ana = await t.db.prisma.user.findUniqueOrThrow({ where: { email: `new1-${tag}@import.test` }, include: { memberships: true } });
    expect(ana).toMatchObject({ firstName: 'Ana', lastName: 'Lima', role: 'learner' });
    expect(ana.memberships.map((m) => [m.groupId, m.role, m.source]).sort()).toEqual(
      [[paris.id, 'learner', 'manual'], [lyon.id, 'observer', 'manual']].sort(),
    );
    const omar = await t.db.prisma.user.findUniqueOrThrow({ where: { externalId: `hr-${tag}-2` }, include: { memberships: true } });
    expect(omar.role).toBe('trainer');
    expect(omar.memberships.map((m) => [m.groupId, m.role]).sort()).toEqual([[lyon.id, 'learner'], [paris.id, 'admin']].sort());
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: existing.id } })).toMatchObject({ firstName: 'Renamed', lastName: expect.stringMatching(/^Last/) });
    // Refused rows changed nobody.
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: owner.id } })).toMatchObject({ role: 'owner', firstName: expect.stringMatching(/^First/) });
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: otherAdmin.id } })).role).toBe('admin');
    for (const n of [3, 4, 5]) expect(await t.db.prisma.user.count({ where: { email: `new${n}-${tag}@import.test` } })).toBe(0);

    // New people are invited like POST /users does; events, enrollments and audit follow.
    expect(await t.db.prisma.mailMessage.count({ where: { to: { in: [ana.email, omar.email] }, kind: 'invitation' } })).toBe(2);
    expect(await t.db.prisma.userToken.count({ where: { userId: { in: [ana.id, omar.id] }, kind: 'invite', createdById: admin.id } })).toBe(2);
    const events = await t.db.prisma.outboxEvent.findMany({ where: { createdAt: { gte: new Date(Date.parse(done.appliedAt) - 1000) } } });
    const ofType = (type: string) => events.filter((e) => e.type === type).map((e) => e.payload as Record<string, unknown>);
    expect(ofType('user.created').map((p) => p.userId).sort()).toEqual([ana.id, omar.id].sort());
    expect(ofType('user.updated')).toContainEqual({ userId: existing.id, fields: ['firstName'] });
    expect(ofType('group.member.added')).toHaveLength(5);
    const enrolled = await t.db.prisma.enrollment.findMany({ where: { programId: program.id }, select: { userId: true } });
    expect(enrolled.map((e) => e.userId).sort()).toEqual([ana.id, omar.id, existing.id, unchanged.id].sort());
    expect(await t.db.prisma.auditLog.count({ where: { action: 'user.create', actorId: admin.id, targetId: { in: [ana.id, omar.id] } } })).toBe(2);
    expect(await t.db.prisma.auditLog.count({ where: { action: 'people.import.apply', targetId: created.id } })).toBe(1);
  });

  it('reads what spreadsheets write: BOM, semicolons, quoted commas and newlines, Windows-1252', async () => {
    const utf8 = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`email;firstName;lastName;groups\r\nbom-${tag}@import.test;"Zoé, Marie";"Le\nGall";"France ${tag}/Paris;ext:lyon-${tag}"\r\n`),
    ]);
    const res = await upload(admin, utf8);
    expect(res.statusCode).toBe(201);
    expect(res.json().plan).toMatchObject({ created: 1, refused: 0 });
    const [row] = await rowsOf(admin, res.json().id);
    expect(row).toMatchObject({ line: 2, email: `bom-${tag}@import.test`, firstName: 'Zoé, Marie', lastName: 'Le\nGall' });

    const latin1 = Buffer.from(`email,firstName,lastName\r\ncp-${tag}@import.test,Hélène,Béranger\r\n`, 'latin1');
    const res2 = await upload(admin, latin1, 'application/vnd.ms-excel');
    expect(res2.statusCode).toBe(201);
    expect((await rowsOf(admin, res2.json().id))[0]).toMatchObject({ firstName: 'Hélène', lastName: 'Béranger' });

    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`email,firstName,lastName\r\nu16-${tag}@import.test,Åsa,Öberg\r\n`, 'utf16le')]);
    expect((await rowsOf(admin, (await upload(admin, utf16)).json().id))[0]).toMatchObject({ firstName: 'Åsa' });

    // As the web app sends it: multipart, with the file's name.
    const boundary = 'x-covey-boundary';
    const multipart = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\nemail\r\n${learner.email}\r\n--${boundary}--\r\n`,
    );
    const res3 = await upload(admin, multipart, `multipart/form-data; boundary=${boundary}`);
    expect(res3.statusCode).toBe(201);
    expect(res3.json()).toMatchObject({ fileName: 'people.csv', plan: { unchanged: 1 } });
  });

  it('answers problem+json for files it cannot take, and writes nothing', async () => {
    const before = await t.db.prisma.peopleImport.count();
    const wrong = problem(await upload(admin, csv(['mail address,name', 'a@b.test,A'])), 400);
    expect(wrong.errors?.map((e) => e.field)).toEqual(['header.mail address', 'header.name', 'header']);
    problem(await upload(admin, csv(['email,email', 'a@b.test,a@b.test'])), 400);
    problem(await upload(admin, ''), 400);
    problem(await upload(admin, csv(['email,firstName', '"unclosed,quote'])), 400);
    problem(await upload(admin, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00])), 415);
    problem(await upload(admin, JSON.stringify({ email: 'a@b.test' }), 'application/json'), 415);
    problem(await upload(admin, csv(['email', ...Array.from({ length: 20_001 }, (_, i) => `x${i}@b.test`)])), 413);
    problem(await upload(admin, Buffer.alloc(9 * 1024 * 1024, 'a')), 413);
    expect(await t.db.prisma.peopleImport.count()).toBe(before);
    problem(await t.as(admin, { method: 'GET', url: '/api/v1/imports/people/not-an-id' }), 404);
    problem(await t.as(admin, { method: 'GET', url: `/api/v1/imports/people/${randomUUID()}/rows` }), 404);
  });

  it('refuses group admins, learners and clients without users:write; nobody sees another’s import but admins', async () => {
    const file = csv(['email,firstName,lastName,groups', `ga-${tag}@import.test,G,A,France ${tag}/Paris`]);
    problem(await upload(groupAdmin, file), 403);
    problem(await upload(learner, file), 403);
    const client = await t.as(admin, { method: 'POST', url: '/api/v1/integrations/clients', payload: { name: `bulk-${tag}`, scopes: ['bulk', 'users:read'] } });
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/v1/oauth/token',
      payload: { grant_type: 'client_credentials', client_id: client.json().clientId, client_secret: client.json().clientSecret },
    });
    const noScope = { id: 'client', email: '', role: 'learner' as const, token: token.json().access_token as string };
    problem(await upload(noScope, file), 403);
    expect(await t.db.prisma.user.count({ where: { email: `ga-${tag}@import.test` } })).toBe(0);

    const mine = (await upload(admin, file)).json();
    expect((await t.as(otherAdmin, { method: 'GET', url: `/api/v1/imports/people/${mine.id}` })).statusCode).toBe(200);
    problem(await t.as(learner, { method: 'GET', url: `/api/v1/imports/people/${mine.id}` }), 404);
    problem(await t.as(noScope, { method: 'GET', url: `/api/v1/imports/people/${mine.id}/rows` }), 404);
  });

  it('an admin cannot demote nor overwrite the owner or another admin, even if the directory changes after the dry run', async () => {
    const target = await t.user('learner');
    const file = csv(['email,firstName,lastName,role', `${owner.email},Mal,Lory,learner`, `${otherAdmin.email},,,trainer`, `${target.email},Still,Learner,`]);
    const res = (await upload(admin, file)).json();
    expect(res.plan).toMatchObject({ updated: 1, refused: 2 });
    // Promoted to admin between the dry run and the apply: the row is decided again, and refused.
    await t.db.prisma.user.update({ where: { id: target.id }, data: { role: 'admin' } });
    const applied = await t.as(admin, { method: "POST", url: `/api/v1/imports/people/${res.id}/apply` });
    expect(applied.statusCode, applied.body).toBe(202);
    const done = await waitDone(res.id);
    expect(done.result).toMatchObject({ updated: 0, refused: 3 });
    const rows = await rowsOf(admin, res.id);
    expect(rows.map((r) => r.code)).toEqual(['rank', 'rank', 'rank']);
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: owner.id } })).toMatchObject({ role: 'owner', lastName: expect.stringMatching(/^Last/) });
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: otherAdmin.id } })).role).toBe('admin');
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: target.id } })).firstName).not.toBe('Still');

    // The owner may.
    const byOwner = (await upload(owner, csv(['email,role', `${otherAdmin.email},trainer`]))).json();
    expect(byOwner.plan).toMatchObject({ updated: 1 });
  });

  it('imports 10,000 rows in the background; a crash between batches resumes without doubling', async () => {
    const existing = Array.from({ length: 5000 }, (_, i) => ({ id: randomUUID(), email: `big${i}-${tag}@import.test`, firstName: 'Big', lastName: `${i}` }));
    await createInParts((data) => t.db.prisma.user.createMany({ data }), existing);
    const lines = ['email,externalId,firstName,lastName,groups'];
    for (let i = 0; i < 10_000; i++) lines.push(`big${i}-${tag}@import.test,big-${tag}-${i},Big,${i},France ${tag}/Paris|ext:lyon-${tag}`);
    const analysed = await upload(admin, csv(lines));
    expect(analysed.statusCode).toBe(201);
    expect(analysed.json().plan).toMatchObject({ created: 5000, updated: 5000, refused: 0 });
    const id = analysed.json().id as string;

    // Queued without a worker run yet: play a crash after the first batch, then resume (twice: the second is a no-op).
    await t.db.prisma.peopleImport.update({ where: { id }, data: { status: 'queued', appliedAt: new Date(), invite: false, actor: { type: 'user', id: admin.id, role: 'admin' } } });
    await processPeopleImport(t.app, id, { stopAfterBatches: 1 });
    expect((await t.db.prisma.peopleImport.findUniqueOrThrow({ where: { id } })).processed).toBe(1000);
    await processPeopleImport(t.app, id);
    await processPeopleImport(t.app, id);
    const done = (await t.as(admin, { method: 'GET', url: `/api/v1/imports/people/${id}` })).json();
    expect(done).toMatchObject({ status: 'completed', processed: 10_000, result: { created: 5000, updated: 5000, refused: 0 } });
    expect(await t.db.prisma.user.count({ where: { email: { endsWith: `-${tag}@import.test`, startsWith: 'big' } } })).toBe(10_000);
    expect(await t.db.prisma.membership.count({ where: { groupId: lyon.id, user: { email: { startsWith: 'big' } } } })).toBe(10_000);
    expect(await t.db.prisma.outboxEvent.count({ where: { type: 'user.created', payload: { path: ['email'], string_ends_with: `-${tag}@import.test` } } })).toBeGreaterThanOrEqual(5000);
  }, 240_000);
});
