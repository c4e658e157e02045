import type { Deps } from '../../lib/deps.ts';
import { publicUrl } from '../../lib/public-url.ts';
import { queueMails } from '../mail/mail.service.ts';
import { templates } from '../mail/templates.ts';

export const ENROLLMENT_MAIL_QUEUE = 'mail.enrollments';
const BATCH = 5_000;

/**
 * "You are enrolled": one mail per program for the learner (an enrollment is one per learner and program, however
 * many assignments hold it), sent after the change that enrolled them commits. A job picks the enrollments not yet
 * told (`notified_at IS NULL`), in batches: a 100,000-learner assignment costs its request nothing. People who chose
 * no e-mail, deactivated people and withdrawn enrollments are marked told without a mail.
 */
export async function sendEnrollmentMails(deps: Deps<'db' | 'env' | 'boss'>, batch = BATCH): Promise<number> {
  const prisma = deps.db.prisma;
  const base = publicUrl(deps);
  let sent = 0;
  for (;;) {
    const done = await prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; email: string | null; first_name: string; program_id: string; title: string }[]>`
        WITH batch AS (
          SELECT id FROM enrollments WHERE notified_at IS NULL ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED
        ),
        told AS (
          UPDATE enrollments e SET notified_at = now() FROM batch WHERE e.id = batch.id
          RETURNING e.id, e.user_id, e.program_id, e.status
        )
        SELECT told.id::text,
          CASE WHEN u.status = 'active' AND u.erased_at IS NULL AND u.notify_email <> 'never' AND told.status <> 'withdrawn' THEN u.email END AS email,
          u.first_name, p.id::text AS program_id, p.title
        FROM told JOIN users u ON u.id = told.user_id JOIN programs p ON p.id = told.program_id`;
      const mails = rows
        .filter((r) => r.email)
        .map((r) => ({
          to: r.email!,
          kind: 'enrolled',
          ...templates.enrolled({ recipient: r.first_name, program: r.title, url: `${base}/programs/${r.program_id}` }),
        }));
      await queueMails(deps, tx, mails);
      sent += mails.length;
      return rows.length < batch;
    });
    if (done) return sent;
  }
}
