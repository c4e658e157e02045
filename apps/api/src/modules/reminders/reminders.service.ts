import type { Deps } from '../../lib/deps.ts';
import type { CreateReminderBody } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { subtreeCte } from '../../db/tree.ts';
import { AppError } from '../../lib/errors.ts';
import { inactiveSince } from '../stats/stats.sql.ts';
import type { UserPrincipal } from '../../lib/principal.ts';
import { requireFollowUp } from '../../policy/index.ts';
import { mailNow } from '../notifications/notify.ts';
import { toUserSummary, type UserSummaryRow } from '../../db/user-summary.ts';

type Body = CreateReminderBody;
export const REMINDERS_PER_HOUR = 20;
const HOUR = 3_600_000;

/** Follow-up: reminders to a group's learners, by whoever the policy lets follow the group up (requireFollowUp). */
export function remindersService(deps: Deps<'db' | 'boss' | 'env'>) {
  const prisma = deps.db.prisma;

  return {
    async send(sender: UserPrincipal, groupRef: string, input: Body) {
      // The body is one of three forms (chosen learners, the inactive, a program segment): read as one.
      const body = { ...input, userIds: 'userIds' in input ? input.userIds : undefined, segment: 'segment' in input ? input.segment : undefined };
      const { groupId, program } = await requireFollowUp(prisma, sender, groupRef, body.programId);
      if (body.segment === 'behind' && (!program?.starts_at || !program.ends_at))
        throw new AppError('unprocessable', 'The behind segment needs a program with start and end dates.', [{ field: 'body.segment', message: 'program has no schedule' }]);
      const workspace = await prisma.workspace.findUnique({ where: { id: 1 }, select: { inactiveDays: true } });
      const inactiveDays = body.inactiveDays ?? workspace?.inactiveDays ?? 14;
      const conditions: Prisma.Sql[] = [];
      if (body.userIds) conditions.push(Prisma.sql`u.id = ANY(${body.userIds}::uuid[])`);
      if (body.segment === 'inactive')
        conditions.push(inactiveSince(inactiveDays));
      // A reminder about a program goes to those with something left to do in it: never to those who completed it.
      if (program) conditions.push(Prisma.sql`e.id IS NOT NULL AND e.status NOT IN ('withdrawn', 'completed')`);
      if (body.segment === 'not_started') conditions.push(Prisma.sql`e.progress = 0 AND e.status = 'enrolled'`);
      if (body.segment === 'behind')
        conditions.push(Prisma.sql`e.status <> 'completed' AND e.progress < LEAST(100, GREATEST(0,
          100 * EXTRACT(EPOCH FROM now() - ${program!.starts_at}::timestamptz) / NULLIF(EXTRACT(EPOCH FROM ${program!.ends_at}::timestamptz - ${program!.starts_at}::timestamptz), 0)))`);

      return prisma.$transaction(async (tx) => {
        // One sender at a time past this point (a transaction-scoped lock), so two requests cannot both take the last slot.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${'reminders:' + sender.id}))`;
  // The window is full when the sender's 20th most recent reminder is under an hour old; a slot frees when it leaves.
        const oldestInWindow = await tx.reminder.findFirst({
          where: { senderId: sender.id, createdAt: { gt: new Date(Date.now() - HOUR) } },
          orderBy: { createdAt: 'desc' },
          skip: REMINDERS_PER_HOUR - 1,
          select: { createdAt: true },
        });
        if (oldestInWindow) {
          const wait = Math.max(1, Math.ceil((oldestInWindow.createdAt.getTime() + HOUR - Date.now()) / 1000));
          throw new AppError('rate_limited', `At most ${REMINDERS_PER_HOUR} reminders an hour; try again later.`, undefined, { 'retry-after': String(wait) });
        }
        const reminder = await tx.reminder.create({
          data: { senderId: sender.id, groupId, programId: program?.id ?? null, segment: body.segment ?? null, message: body.message },
        });
        // Recipients: active learners of the group's subtree matching the selection, in one statement.
        const recipients = await tx.$queryRaw<UserSummaryRow[]>`
          WITH RECURSIVE ${subtreeCte(groupId)},
          picked AS (
            SELECT DISTINCT u.id FROM memberships m JOIN sub ON sub.id = m.group_id
            JOIN users u ON u.id = m.user_id AND u.status = 'active'
            LEFT JOIN enrollments e ON e.user_id = u.id AND e.program_id = ${program?.id ?? null}::uuid
            WHERE m.role = 'learner' AND u.id <> ${sender.id}::uuid
              ${conditions.length ? Prisma.sql`AND ${Prisma.join(conditions, ' AND ')}` : Prisma.empty}
          ),
          saved AS (
            INSERT INTO reminder_recipients (reminder_id, user_id) SELECT ${reminder.id}::uuid, id FROM picked RETURNING user_id
          )
          SELECT u.id::text, u.email, u.first_name, u.last_name FROM saved JOIN users u ON u.id = saved.user_id
          ORDER BY u.last_name, u.first_name`;
        if (body.userIds) {
          const found = new Set(recipients.map((r) => r.id));
          const outside = body.userIds.filter((id) => !found.has(id));
          if (outside.length)
            throw new AppError('unprocessable', 'Some users are not learners of this group (or of this program there).', outside.slice(0, 20).map((id) => ({ field: 'body.userIds', message: `${id} is not reachable` })));
        }
        await tx.reminder.update({ where: { id: reminder.id }, data: { recipientCount: recipients.length } });
        const notified = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO notifications (user_id, type, actor_id, group_id, program_id, data)
          SELECT r.user_id, 'reminder', ${sender.id}::uuid, ${groupId}::uuid, ${program?.id ?? null}::uuid,
            jsonb_build_object('message', ${body.message}::text, 'reminderId', ${reminder.id}::text)
          FROM reminder_recipients r WHERE r.reminder_id = ${reminder.id}::uuid
          RETURNING id::text`;
        await mailNow(deps, tx, notified.map((n) => n.id));
        return {
          id: reminder.id,
          groupId,
          programId: program?.id ?? null,
          segment: body.segment ?? null,
          message: body.message,
          recipientCount: recipients.length,
          recipients: recipients.slice(0, 1000).map(toUserSummary),
          createdAt: reminder.createdAt.toISOString(),
        };
      });
    },
  };
}
