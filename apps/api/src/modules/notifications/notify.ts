import type { Deps } from '../../lib/deps.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Tx } from '../../db/sql.ts';
import { ancestorsCte } from '../../db/tree.ts';
import { clip, excerpt, templates } from '../mail/templates.ts';
import { queueMails, type OutgoingMail } from '../mail/mail.service.ts';
import { publicUrl } from '../../lib/public-url.ts';

type Created = { id: string; user_id: string; type: string };

/**
 * Notification fan-out, set-based: each rule is one INSERT ... SELECT over its recipients, DISTINCT so that a
 * recipient reached by several rules is notified once, never the author, never a deactivated user. Then the
 * recipients who want e-mail at once get one (queued in the same transaction); the others wait for the daily summary (summary.ts).
 */
export async function notifyForPost(
  deps: Deps<'boss' | 'env'>,
  tx: Tx,
  post: { id: string; authorId: string; scope: 'public' | 'group' | 'program'; groupId: string | null; programId: string | null; parentId: string | null; body: string },
) {
  const parentAuthor = post.parentId
    ? (await tx.post.findUnique({ where: { id: post.parentId }, select: { authorId: true } }))?.authorId ?? null
    : null;
  const created = await tx.$queryRaw<Created[]>`
    WITH RECURSIVE
    ${ancestorsCte(Prisma.sql`SELECT ${post.groupId}::uuid`, { name: 'group_anc' })},
    -- A program comment: the author's learner groups and their ancestors, then those of them the program is assigned
    -- to, and their ancestors.
    ${ancestorsCte(
      Prisma.sql`SELECT group_id FROM memberships WHERE user_id = ${post.authorId}::uuid AND role = 'learner' AND ${post.scope === 'program'}`,
      { name: 'learner_up' },
    )},
    ${ancestorsCte(
      Prisma.sql`SELECT DISTINCT a.group_id FROM program_assignments a JOIN learner_up l ON l.id = a.group_id
        WHERE a.program_id = ${post.programId}::uuid`,
      { name: 'hit_anc' },
    )},
    recipients(user_id, type, rank) AS (
      SELECT ${parentAuthor}::uuid, 'comment_reply', 0 WHERE ${parentAuthor}::uuid IS NOT NULL
      UNION ALL
      SELECT m.user_id, ${post.parentId ? 'group_comment' : 'group_post'}, 1 FROM memberships m JOIN group_anc ON group_anc.id = m.group_id
      WHERE m.role = 'observer' AND ${post.scope === 'group'}
      UNION ALL
      SELECT m.user_id, 'program_comment', 1 FROM memberships m JOIN hit_anc ON hit_anc.id = m.group_id
      WHERE m.role = 'observer' AND ${post.scope === 'program'}
      UNION ALL
      SELECT p.referent_id, 'program_comment', 1 FROM programs p
      WHERE p.id = ${post.programId}::uuid AND p.referent_id IS NOT NULL AND ${post.scope === 'program'}
    ),
    once AS (
      SELECT DISTINCT ON (r.user_id) r.user_id, r.type FROM recipients r
      JOIN users u ON u.id = r.user_id AND u.status = 'active'
      WHERE r.user_id <> ${post.authorId}::uuid
      ORDER BY r.user_id, r.rank
    )
    INSERT INTO notifications (user_id, type, actor_id, post_id, group_id, program_id)
    SELECT once.user_id, once.type, ${post.authorId}::uuid, ${post.id}::uuid, ${post.groupId}::uuid, ${post.programId}::uuid FROM once
    RETURNING id::text, user_id::text, type`;
  await mailNow(deps, tx, created.map((c) => c.id));
  return created;
}

/** E-mails the given notifications to recipients who asked for immediate mail, in one batch. */
export async function mailNow(deps: Deps<'boss' | 'env'>, tx: Tx, notificationIds: string[]) {
  if (!notificationIds.length) return;
  const rows = await tx.$queryRaw<
    { id: string; type: string; email: string; recipient: string; actor: string | null; group_name: string | null; group_id: string | null; program_title: string | null; program_id: string | null; body: string | null; message: string | null }[]
  >`
    UPDATE notifications n SET mailed_at = now()
    FROM users u
    WHERE n.id = ANY(${notificationIds}::uuid[]) AND u.id = n.user_id AND u.notify_email = 'immediately'
    RETURNING n.id::text, n.type, u.email, u.first_name AS recipient,
      (SELECT a.first_name || ' ' || a.last_name FROM users a WHERE a.id = n.actor_id) AS actor,
      (SELECT g.name FROM groups g WHERE g.id = n.group_id) AS group_name, n.group_id::text,
      (SELECT p.title FROM programs p WHERE p.id = n.program_id) AS program_title, n.program_id::text,
      (SELECT p.body FROM posts p WHERE p.id = n.post_id) AS body,
      n.data->>'message' AS message`;
  const base = publicUrl(deps);
  const mails: OutgoingMail[] = rows.map((r) => {
    const actor = r.actor ?? 'Someone';
    const text = r.body !== null ? excerpt(r.body) : clip(r.message ?? '');
    if (r.type === 'group_post' || r.type === 'group_comment')
      return { to: r.email, kind: r.type, ...templates[r.type === 'group_post' ? 'groupPost' : 'groupComment']({ recipient: r.recipient, actor, group: r.group_name ?? '', excerpt: text, url: `${base}/groups/${r.group_id}` }) };
    if (r.type === 'program_comment')
      return { to: r.email, kind: r.type, ...templates.programComment({ recipient: r.recipient, actor, program: r.program_title ?? '', excerpt: text, url: `${base}/programs/${r.program_id}` }) };
    if (r.type === 'reminder')
      return { to: r.email, kind: r.type, ...templates.reminder({ recipient: r.recipient, sender: actor, group: r.group_name ?? '', program: r.program_title, message: r.message ?? '', url: r.program_id ? `${base}/programs/${r.program_id}` : `${base}/` }) };
    return { to: r.email, kind: r.type, ...templates.commentReply({ recipient: r.recipient, actor, excerpt: text, url: `${base}/` }) };
  });
  await queueMails(deps, tx, mails);
}
