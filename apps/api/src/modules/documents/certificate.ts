import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { Deps } from '../../lib/deps.ts';
import { fromPrisma } from 'pg-boss';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Tx } from '../../db/sql.ts';
import { ancestorsCte } from '../../db/tree.ts';
import { sha256 } from '../../lib/tokens.ts';
import { loadSharp } from '../files/images.ts';

export const CERTIFICATE_QUEUE = 'certificates.generate';

/** Queues certificate generation for just-completed enrollments, in the caller's transaction. */
export async function queueCertificates(deps: Deps<'boss'>, tx: Tx, enrollmentIds: string[]) {
  if (!enrollmentIds.length) return;
  await deps.boss.insert(
    CERTIFICATE_QUEUE,
    enrollmentIds.map((id) => ({ data: { enrollmentId: id }, singletonKey: id, retryLimit: 5, retryBackoff: true })),
    { db: fromPrisma(tx) },
  );
}

/** Most certificates a start queues; the next start queues the rest. */
const CATCH_UP_LIMIT = 10_000;

/**
 * Queues the certificates that completions written outside a live request lack (the demo seed, an import), through
 * the queue and generator a live completion uses. Set-based; one job per enrollment (generation is idempotent).
 */
export async function queueMissingCertificates(deps: Deps<'db' | 'boss'>): Promise<number> {
  const rows = await deps.db.prisma.$queryRaw<{ id: string }[]>`
    SELECT e.id::text FROM enrollments e
    WHERE e.status = 'completed'
      AND NOT EXISTS (
        SELECT 1 FROM documents d WHERE d.user_id = e.user_id AND d.kind = 'certificate' AND d.program_id = e.program_id)
    ORDER BY e.completed_at NULLS LAST LIMIT ${CATCH_UP_LIMIT}`;
  await deps.db.prisma.$transaction((tx) => queueCertificates(deps, tx, rows.map((r) => r.id)));
  return rows.length;
}

/**
 * The certificate's typefaces: DejaVu Serif (regular and bold), embedded as subsets, so names and titles in Latin
 * scripts with any accents (Łukasz Dvořák), Greek and Cyrillic print as written. The 14 standard PDF fonts know only
 * Windows-1252. Read once, with the first certificate.
 */
let fontFiles: Promise<{ regular: Buffer; bold: Buffer }> | undefined;
const loadFontFiles = () =>
  (fontFiles ??= (async () => {
    const resolve = createRequire(import.meta.url).resolve;
    const read = (name: string) => fs.promises.readFile(resolve(`dejavu-fonts-ttf/ttf/${name}`));
    const [regular, bold] = await Promise.all([read('DejaVuSerif.ttf'), read('DejaVuSerif-Bold.ttf')]);
    return { regular, bold };
  })());

async function streamToBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * A completion certificate (PDF, pdf-lib), with the logo of the branded group through which the program reached
 * the learner (the assigned group, or its nearest ancestor with a logo). Idempotent: one per learner and program.
 */
/** A certificate speaks its holder's language (users.locale): the PDF's words, its date and the document's title. */
const CERTIFICATE_WORDS = {
  en: { lang: 'en', heading: 'Certificate of completion', certifies: 'This certifies that', completed: 'has completed the program', title: (program: string) => `Certificate: ${program}` },
  fr: { lang: 'fr', heading: 'Certificat de réussite', certifies: 'Nous certifions que', completed: 'a suivi avec succès le programme', title: (program: string) => `Certificat : ${program}` },
} as const;
const certificateWords = (locale: string) => (locale.toLowerCase().startsWith('fr') ? CERTIFICATE_WORDS.fr : CERTIFICATE_WORDS.en);

export async function generateCertificate(deps: Deps<'db' | 'storage'>, enrollmentId: string) {
  const prisma = deps.db.prisma;
  const enrollment = await prisma.enrollment.findUnique({
    where: { id: enrollmentId },
    include: { user: true, program: true },
  });
  if (!enrollment || enrollment.status !== 'completed') return null;
  const existing = await prisma.document.findFirst({
    where: { userId: enrollment.userId, kind: 'certificate', programId: enrollment.programId },
  });
  if (existing) return existing;

  const [branding] = await prisma.$queryRaw<{ name: string; storage_key: string | null }[]>`
    WITH RECURSIVE ${ancestorsCte(
      Prisma.sql`SELECT a.group_id FROM enrollment_sources s JOIN program_assignments a ON a.id = s.assignment_id
        WHERE s.enrollment_id = ${enrollmentId}::uuid`,
      { name: 'up' },
    )}
    SELECT g.name, f.storage_key FROM up JOIN groups g ON g.id = up.id LEFT JOIN files f ON f.id = g.logo_file_id
    ORDER BY (f.storage_key IS NULL), up.depth LIMIT 1`;

  // pdf-lib and sharp load with the first certificate, not when the API starts.
  const [{ PDFDocument, rgb }, { default: fontkit }, fonts] = await Promise.all([
    import('pdf-lib'),
    import('@pdf-lib/fontkit'),
    loadFontFiles(),
  ]);
  const sharp = await loadSharp();
  const pdf = await PDFDocument.create();
  const words = certificateWords(enrollment.user.locale);
  const title = words.title(enrollment.program.title);
  pdf.setTitle(title);
  pdf.setLanguage(words.lang);
  pdf.setCreator('Covey');
  const page = pdf.addPage([842, 595]);
  pdf.registerFontkit(fontkit);
  const serif = await pdf.embedFont(fonts.regular, { subset: true });
  const bold = await pdf.embedFont(fonts.bold, { subset: true });
  const ink = rgb(0.12, 0.16, 0.22);
  page.drawRectangle({ x: 24, y: 24, width: 794, height: 547, borderColor: rgb(0.12, 0.31, 0.47), borderWidth: 3 });
  const center = (text: string, y: number, size: number, font = serif) => {
    // A character the typeface lacks (CJK, for one) prints as "?" rather than breaking the certificate.
    const known = new Set(font.getCharacterSet());
    const safe = Array.from(text.normalize('NFC'), (c) => (known.has(c.codePointAt(0)!) ? c : '?')).join('');
    // A long title gets smaller until it fits between the borders.
    let fitted = size;
    while (fitted > 8 && font.widthOfTextAtSize(safe, fitted) > 760) fitted -= 1;
    page.drawText(safe, { x: (842 - font.widthOfTextAtSize(safe, fitted)) / 2, y, size: fitted, font, color: ink });
  };
  if (branding?.storage_key) {
    const stream = await deps.storage.get(branding.storage_key);
    if (stream) {
      const png = await sharp(await streamToBuffer(stream)).resize({ width: 240, height: 120, fit: 'inside' }).png().toBuffer();
      const image = await pdf.embedPng(png);
      page.drawImage(image, { x: (842 - image.width) / 2, y: 430, width: image.width, height: image.height });
    }
  }
  center(words.heading, 380, 36, bold);
  center(words.certifies, 330, 16);
  center(`${enrollment.user.firstName} ${enrollment.user.lastName}`, 290, 30, bold);
  center(words.completed, 250, 16);
  center(enrollment.program.title, 210, 24, bold);
  const completedAt = enrollment.completedAt ?? new Date();
  const date = completedAt.toISOString().slice(0, 10);
  const longDate = new Intl.DateTimeFormat(words.lang, { dateStyle: 'long', timeZone: 'UTC' }).format(completedAt);
  center(`${longDate}${branding ? ` · ${branding.name}` : ''}`, 160, 14);
  const bytes = Buffer.from(await pdf.save());

  const key = `documents/${enrollment.userId}/certificate-${randomUUID()}.pdf`;
  await deps.storage.put(key, bytes);
  return prisma.$transaction(async (tx) => {
    const file = await tx.storedFile.create({
      data: { storageKey: key, contentType: 'application/pdf', size: bytes.length, sha256: sha256(bytes), name: `certificate-${date}.pdf`, purpose: 'certificate' },
    });
    await tx.$executeRaw`
      INSERT INTO documents (user_id, kind, title, program_id, file_id)
      VALUES (${enrollment.userId}::uuid, 'certificate', ${title}, ${enrollment.programId}::uuid, ${file.id}::uuid)
      ON CONFLICT (user_id, kind, program_id) DO NOTHING`;
    return tx.document.findFirstOrThrow({ where: { userId: enrollment.userId, kind: 'certificate', programId: enrollment.programId } });
  });
}
