import type { FastifyInstance } from 'fastify';
import { fromPrisma } from 'pg-boss';
import type { Tx } from '../../db/sql.ts';
import { chunks } from '../../lib/chunks.ts';
import type { RenderedMail } from './templates.ts';

export const MAIL_QUEUE = 'mail.send';
export type OutgoingMail = RenderedMail & { to: string; kind: string };
export type MailJob = { mailId: string };

/** Mails per INSERT: far below the 13,107 (65,535 bind parameters of 5 columns) at which Prisma would split it. */
const MAILS_PER_INSERT = 5_000;

/**
 * Queues mails in the caller's transaction: the rows and their delivery jobs commit (or roll back) with the change
 * that causes them. One INSERT for the rows per 5,000 mails and one for the jobs, whatever the number of mails.
 */
export async function queueMails(app: FastifyInstance, tx: Tx, mails: OutgoingMail[]) {
  if (!mails.length) return [];
  const rows: { id: string }[] = [];
  for (const chunk of chunks(mails, MAILS_PER_INSERT)) {
    rows.push(
      ...(await tx.mailMessage.createManyAndReturn({
        data: chunk.map((m) => ({ to: m.to, subject: m.subject, text: m.text, html: m.html, kind: m.kind })),
        select: { id: true },
      })),
    );
  }
  await app.boss.insert(
    MAIL_QUEUE,
    rows.map((r) => ({
      data: { mailId: r.id } satisfies MailJob,
      singletonKey: r.id,
      retryLimit: app.env.MAIL_RETRY_LIMIT,
      retryDelay: app.env.MAIL_RETRY_DELAY,
      retryBackoff: true,
      retryDelayMax: 3600,
    })),
    { db: fromPrisma(tx) },
  );
  return rows.map((r) => r.id);
}
