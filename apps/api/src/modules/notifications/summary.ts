import type { Deps } from '../../lib/deps.ts';
import { clip, excerpt, templates } from '../mail/templates.ts';
import { queueMails } from '../mail/mail.service.ts';
import { publicUrl } from '../../lib/public-url.ts';

/** The queue of the daily summary (until the rename, `notifications.digest`: see notifications.jobs.ts). */
export const NOTIFICATION_SUMMARY_QUEUE = 'notifications.summary';

const describe = (n: { type: string; actor: string | null; group: string | null; program: string | null; body: string | null; message: string | null }) => {
  const who = n.actor ?? 'Someone';
  const what = n.body !== null ? excerpt(n.body, 120) : clip(n.message ?? '', 120);
  if (n.type === 'group_post') return `${who} posted in ${n.group ?? 'a group'}: ${what}`;
  if (n.type === 'group_comment') return `${who} commented in ${n.group ?? 'a group'}: ${what}`;
  if (n.type === 'program_comment') return `${who} commented on ${n.program ?? 'a program'}: ${what}`;
  if (n.type === 'reminder') return `${who} sent you a reminder${n.program ? ` about ${n.program}` : ''}: ${what}`;
  return `${who} replied: ${what}`;
};

/**
 * The daily notification summary for people who chose it (their stored preference `notifyEmail: 'digest'`, a value
 * of the API, keeps its name; so does the mails' kind `notification_digest`): claims every unmailed, unread notification in one UPDATE
 * (a concurrent run finds them claimed), and queues one mail per person in the same transaction.
 */
export async function sendNotificationSummaries(app: Deps<'db' | 'env' | 'boss'>) {
  return app.db.prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<
      { email: string; first_name: string; items: { type: string; actor: string | null; group: string | null; program: string | null; body: string | null; message: string | null }[] }[]
    >`
      WITH picked AS (
        UPDATE notifications n SET mailed_at = now()
        FROM users u
        WHERE u.id = n.user_id AND u.notify_email = 'digest' AND u.status = 'active'
          AND n.mailed_at IS NULL AND n.read_at IS NULL AND n.created_at > now() - interval '7 days'
        RETURNING n.*
      )
      SELECT u.email, u.first_name, json_agg(json_build_object(
        'type', p.type,
        'actor', (SELECT a.first_name || ' ' || a.last_name FROM users a WHERE a.id = p.actor_id),
        'group', (SELECT g.name FROM groups g WHERE g.id = p.group_id),
        'program', (SELECT pr.title FROM programs pr WHERE pr.id = p.program_id),
        'body', (SELECT po.body FROM posts po WHERE po.id = p.post_id),
        'message', p.data->>'message') ORDER BY p.created_at) AS items
      FROM picked p JOIN users u ON u.id = p.user_id
      GROUP BY u.id, u.email, u.first_name`;
    const base = publicUrl(app);
    await queueMails(
      app,
      tx,
      rows.map((r) => ({
        to: r.email,
        kind: 'notification_digest',
        ...templates.notificationSummary({ recipient: r.first_name, lines: r.items.map(describe), url: `${base}/` }),
      })),
    );
    return rows.length;
  });
}
