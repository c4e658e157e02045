import type { FastifyInstance } from 'fastify';
import { fromPrisma } from 'pg-boss';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { RenderedMail } from './templates.ts';

export const MAIL_QUEUE = 'mail.send';
export type OutgoingMail = RenderedMail & { to: string; kind: string };
export type MailJob = { mailId: string };

/**
 * Queues mails in the caller's transaction: the rows and their delivery jobs commit (or roll back) with the change
 * that causes them. One INSERT for the rows and one for the jobs, whatever the number of mails.
 */
export async function queueMails(app: FastifyInstance, tx: Prisma.TransactionClient, mails: OutgoingMail[]) {
  if (!mails.length) return [];
  const rows = await tx.mailMessage.createManyAndReturn({
    data: mails.map((m) => ({ to: m.to, subject: m.subject, text: m.text, html: m.html, kind: m.kind })),
    select: { id: true },
  });
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
