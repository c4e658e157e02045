import type { Deps } from '../../lib/deps.ts';
import type { z } from 'zod';
import type { GroupRole, patchMeBodySchema } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/errors.ts';
import { verifyPassword } from '../../lib/passwords.ts';
import { hashNewPassword } from '../auth/strong-password.ts';
import type { UserPrincipal } from '../../lib/principal.ts';
import { toMe } from '../users/user-view.ts';
import { brandingOf } from '../groups/groups.repository.ts';

type MeRow = Parameters<typeof toMe>[0];
const meSql = (id: string) => Prisma.sql`
  SELECT id::text, email, first_name AS "firstName", last_name AS "lastName", role::text, locale,
    notify_email::text AS "notifyEmail", last_login_at AS "lastLoginAt"
  FROM users WHERE id = ${id}::uuid`;

export function meService(deps: Deps<'db'>) {
  const prisma = deps.db.prisma;
  return {
    /** A hot read (every page of the app asks it): one prepared statement, not a Prisma call (~1 ms of CPU more). */
    async get(principal: UserPrincipal) {
      const [row] = await deps.db.prepared<MeRow>(meSql(principal.id));
      if (!row) throw new AppError('not_found', 'The resource was not found.');
      return toMe(row);
    },

    /** A password change signs out every other session (`sessionId`: the caller's, which stays). */
    async update(principal: UserPrincipal, body: z.output<typeof patchMeBodySchema>, sessionId?: string) {
      let passwordHash: string | undefined;
      if (body.password) {
        const current = await prisma.user.findUniqueOrThrow({
          where: { id: principal.id },
          select: { passwordHash: true, email: true, firstName: true, lastName: true },
        });
        if (!(await verifyPassword(current.passwordHash, body.currentPassword ?? '')))
          throw new AppError('unprocessable', 'The current password is incorrect.', [
            { field: 'body.currentPassword', message: 'is incorrect' },
          ]);
        passwordHash = await hashNewPassword(body.password, current);
      }
      const user = await prisma.$transaction(async (tx) => {
        if (passwordHash)
          await tx.refreshToken.updateMany({
            where: { userId: principal.id, revokedAt: null, ...(sessionId ? { NOT: { familyId: sessionId } } : {}) },
            data: { revokedAt: new Date() },
          });
        return tx.user.update({
          where: { id: principal.id },
          data: {
            firstName: body.firstName,
            lastName: body.lastName,
            locale: body.locale,
            notifyEmail: body.notifyEmail,
            passwordHash,
            version: { increment: 1 },
          },
        });
      });
      return toMe(user);
    },

    async groups(principal: UserPrincipal) {
      const rows = await prisma.membership.findMany({
        where: { userId: principal.id },
        select: {
          role: true,
          group: {
            select: { id: true, name: true, description: true, parentId: true },
          },
        },
        orderBy: [{ group: { name: 'asc' } }, { role: 'asc' }],
      });
      // Each group as it shows: its own logo and colours, else those it inherits from the nearest ancestor.
      const branding = await brandingOf(prisma, [...new Set(rows.map((r) => r.group.id))], null);
      const byGroup = new Map<
        string,
        {
          id: string;
          name: string;
          description: string | null;
          parentId: string | null;
          logoUrl: string | null;
          colors: Record<string, string>;
          roles: GroupRole[];
        }
      >();
      for (const { role, group } of rows) {
        const shown = branding.get(group.id)?.branding;
        const colors: Record<string, string> = {};
        if (shown?.primary) colors.primary = shown.primary.value;
        if (shown?.accent) colors.accent = shown.accent.value;
        const entry = byGroup.get(group.id) ?? {
          id: group.id,
          name: group.name,
          description: group.description,
          parentId: group.parentId,
          logoUrl: shown?.logoUrl?.value ?? null,
          colors,
          roles: [],
        };
        entry.roles.push(role);
        byGroup.set(group.id, entry);
      }
      return { items: [...byGroup.values()], nextCursor: null };
    },

    /** My programs, in progress first, then not started, then completed. */
    async programs(principal: UserPrincipal) {
      const rows = await prisma.enrollment.findMany({
        where: { userId: principal.id, status: { not: 'withdrawn' } },
        include: {
          program: {
            select: {
              id: true,
              title: true,
              endsAt: true,
              status: true,
              steps: { select: { id: true, completions: { where: { userId: principal.id }, select: { id: true } } } },
            },
          },
        },
      });
      const rank = { in_progress: 0, enrolled: 1, completed: 2, withdrawn: 3 } as const;
      return {
        items: rows
          .filter((e) => e.program.status !== 'draft')
          .sort((a, b) => rank[a.status] - rank[b.status] || a.program.title.localeCompare(b.program.title))
          .map((e) => ({
            program: {
              id: e.program.id,
              title: e.program.title,
              endsAt: e.program.endsAt?.toISOString() ?? null,
              stepCount: e.program.steps.length,
            },
            status: e.status,
            progress: e.progress,
            completedAt: e.completedAt?.toISOString() ?? null,
            completedStepIds: e.program.steps.filter((s) => s.completions.length > 0).map((s) => s.id),
          })),
        nextCursor: null,
      };
    },
  };
}
