import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate } from '../src/modules/documents/certificate.ts';
import { createTestContext, problem, type TestContext, type TestUser } from './helpers.ts';

let t: TestContext;
let admin: TestUser, lea: TestUser, other: TestUser, observer: TestUser, foreignObserver: TestUser;
let brand: { id: string }, team: { id: string }, elsewhere: { id: string };
let program: { id: string; stepIds: string[] };

function multipart(fields: Record<string, string>, file: { name: string; type: string; data: Buffer }) {
  const boundary = '----covey-test-boundary';
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

beforeAll(async () => {
  t = await createTestContext();
  [admin, lea, other, observer, foreignObserver] = await Promise.all([t.user('admin'), t.user('learner'), t.user('learner'), t.user('learner'), t.user('learner')]);
  brand = await t.group('Client Y');
  team = await t.group('Client Y team', brand.id);
  elsewhere = await t.group('Elsewhere');
  await t.member(team.id, lea.id, 'learner');
  await t.member(elsewhere.id, other.id, 'learner');
  await t.member(brand.id, observer.id, 'observer');
  await t.member(elsewhere.id, foreignObserver.id, 'observer');
  const png = await sharp({ create: { width: 300, height: 120, channels: 3, background: '#aa3355' } }).png().toBuffer();
  const logo = await t.as(admin, { method: 'PUT', url: `/api/v1/groups/${brand.id}/logo`, ...multipart({}, { name: 'logo.png', type: 'image/png', data: png }) });
  expect(logo.statusCode).toBe(200);
  program = await t.program({ title: 'Safety first' });
  await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${program.id}/groups/${team.id}` });
});
afterAll(async () => t?.close());

describe('certificates', () => {
  let documentId: string;

  it('are queued when a learner completes a program, and generated once as a branded PDF', async () => {
    for (const stepId of program.stepIds) {
      const res = await t.as(lea, { method: 'POST', url: `/api/v1/programs/${program.id}/steps/${stepId}/complete` });
      expect(res.statusCode).toBe(200);
    }
    const enrollment = await t.db.prisma.enrollment.findUniqueOrThrow({ where: { userId_programId: { userId: lea.id, programId: program.id } } });
    expect(enrollment.status).toBe('completed');
    const jobs = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'certificates.generate' AND data->>'enrollmentId' = $1`, [enrollment.id]);
    expect(jobs[0]!.n).toBe(1);

    const first = await generateCertificate(t.app, enrollment.id);
    const second = await generateCertificate(t.app, enrollment.id);
    expect(second?.id).toBe(first?.id);
    const list = await t.as(lea, { method: 'GET', url: '/api/v1/me/documents' });
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0]).toMatchObject({ kind: 'certificate', programId: program.id, contentType: 'application/pdf', title: 'Certificate: Safety first' });
    documentId = list.json().items[0].id;

    const pdf = await t.as(lea, { method: 'GET', url: `/api/v1/documents/${documentId}` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // The group's logo is embedded (an image XObject), because the program reached Lea through the branded tree.
    expect(pdf.rawPayload.toString('latin1')).toContain('/Subtype /Image');
  });

  it('speak their holder\'s language: a French learner\'s certificate is a "Certificat"', async () => {
    const amelie = await t.user('learner', { locale: 'fr' });
    const enrollment = await t.db.prisma.enrollment.create({
      data: { userId: amelie.id, programId: program.id, status: 'completed', progress: 100, completedAt: new Date('2026-03-05T10:00:00Z') },
    });
    const doc = await generateCertificate(t.app, enrollment.id);
    expect(doc?.title).toBe('Certificat : Safety first');
    const file = await t.as(amelie, { method: 'GET', url: `/api/v1/documents/${doc!.id}` });
    const { PDFDocument } = await import('pdf-lib');
    const pdf = await PDFDocument.load(file.rawPayload);
    expect(pdf.getTitle()).toBe('Certificat : Safety first');
  });

  it('print names and titles as written, accents, Greek and Cyrillic included; a long title fits the page', async () => {
    const holder = await t.user('learner', { firstName: 'Łukasz Dvořák', lastName: 'Шостакович Ελένη' });
    const longTitle = `Gestion de la qualité et conformité réglementaire ${'avancée '.repeat(8)}`.trim();
    const p3 = await t.program({ title: longTitle });
    const enrollment = await t.db.prisma.enrollment.create({
      data: { userId: holder.id, programId: p3.id, status: 'completed', progress: 100, completedAt: new Date('2026-03-05T10:00:00Z') },
    });
    const doc = await generateCertificate(t.app, enrollment.id);
    const file = await t.as(holder, { method: 'GET', url: `/api/v1/documents/${doc!.id}` });
    const lines = await pdfLines(file.rawPayload);
    expect(lines).toContain('Łukasz Dvořák Шостакович Ελένη');
    expect(lines).toContain(longTitle);
    // Every line within the page (842 points wide, borders at 24).
    const { PDFDocument } = await import('pdf-lib');
    expect((await PDFDocument.load(file.rawPayload)).getPageCount()).toBe(1);
    for (const item of await pdfItems(file.rawPayload)) {
      expect(item.x).toBeGreaterThan(24);
      expect(item.x + item.width).toBeLessThan(818);
    }
  });

  it('download only by the learner, their observers and admins', async () => {
    for (const who of [lea, observer, admin]) {
      expect((await t.as(who, { method: 'GET', url: `/api/v1/documents/${documentId}` })).statusCode, who.email).toBe(200);
    }
    for (const who of [other, foreignObserver]) problem(await t.as(who, { method: 'GET', url: `/api/v1/documents/${documentId}` }), 404);
    problem(await t.app.inject({ method: 'GET', url: `/api/v1/documents/${documentId}` }), 401);
    expect((await t.as(other, { method: 'GET', url: '/api/v1/me/documents' })).json().items).toEqual([]);
  });

  it('does not generate for an enrollment that is not completed', async () => {
    const p2 = await t.program();
    await t.as(admin, { method: 'PUT', url: `/api/v1/programs/${p2.id}/groups/${team.id}` });
    const e = await t.db.prisma.enrollment.findUniqueOrThrow({ where: { userId_programId: { userId: lea.id, programId: p2.id } } });
    expect(await generateCertificate(t.app, e.id)).toBeNull();
  });
});

describe('shared files', () => {
  it('admins share a PDF with a learner; others cannot; non-documents are refused', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const shared = await t.as(admin, { method: 'POST', url: `/api/v1/users/${lea.id}/documents`, ...multipart({ title: 'Handbook' }, { name: 'handbook.pdf', type: 'application/pdf', data: pdf }) });
    expect(shared.statusCode).toBe(201);
    expect(shared.json()).toMatchObject({ kind: 'file', title: 'Handbook', contentType: 'application/pdf' });
    expect((await t.as(lea, { method: 'GET', url: '/api/v1/me/documents' })).json().items.map((d: { title: string }) => d.title)).toContain('Handbook');
    problem(await t.as(observer, { method: 'POST', url: `/api/v1/users/${lea.id}/documents`, ...multipart({ title: 'x' }, { name: 'x.pdf', type: 'application/pdf', data: pdf }) }), 403);
    problem(await t.as(admin, { method: 'POST', url: `/api/v1/users/${lea.id}/documents`, ...multipart({ title: 'x' }, { name: 'x.pdf', type: 'application/pdf', data: Buffer.from('<html>not a pdf</html>') }) }), 415);
  });
});

/** The text of a PDF's first page, a string per drawn line, read back with pdf.js. */
async function pdfItems(bytes: Buffer) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const content = await (await pdf.getPage(1)).getTextContent();
  return content.items.flatMap((item) => ('str' in item && item.str ? [{ text: item.str, x: item.transform[4] as number, width: item.width }] : []));
}
const pdfLines = async (bytes: Buffer) => (await pdfItems(bytes)).map((item) => item.text);
