import type { Deps } from '../../lib/deps.ts';
import { fromPrisma } from 'pg-boss';
import type { Tx } from '../../db/sql.ts';
import type { RenderedMail } from './templates.ts';

export const MAIL_QUEUE = 'mail.send';
export type OutgoingMail = RenderedMail & { to: string; kind: string };
export type MailJob = { mailId: string };

/**
 * Queues mails in the caller's transaction: the rows and their delivery jobs commit (or roll back) with the change
 * that causes them. One INSERT for the rows (five array parameters, whatever the number of mails: Prisma's
 * createManyAndReturn took 2 s for 1,000 invitations) and one for the jobs.
 */
export async function queueMails(deps: Deps<'boss' | 'env'>, tx: Tx, mails: OutgoingMail[]) {
  if (!mails.length) return [];
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO mail_messages ("to", subject, text, html, kind)
    SELECT * FROM unnest(${mails.map((m) => m.to)}::text[], ${mails.map((m) => m.subject)}::text[], ${mails.map((m) => m.text)}::text[],
      ${mails.map((m) => m.html)}::text[], ${mails.map((m) => m.kind)}::text[])
    RETURNING id::text`;
  await deps.boss.insert(
    MAIL_QUEUE,
    rows.map((r) => ({
      data: { mailId: r.id } satisfies MailJob,
      singletonKey: r.id,
      retryLimit: deps.env.MAIL_RETRY_LIMIT,
      retryDelay: deps.env.MAIL_RETRY_DELAY,
      retryBackoff: true,
      retryDelayMax: 3600,
    })),
    { db: fromPrisma(tx) },
  );
  return rows.map((r) => r.id);
}
