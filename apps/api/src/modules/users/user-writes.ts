import type { z } from 'zod';
import type { createUserBodySchema, patchUserBodySchema, upsertUserBodySchema, GroupRole } from '@covey/schema';
import { Prisma, type User as UserRow } from '../../generated/prisma/client.ts';
import type { Db, Models } from '../../db/sql.ts';
import { emit } from '../../db/outbox.ts';
import { audit } from '../../lib/audit.ts';
import type { Deps } from '../../lib/deps.ts';
import { AppError, type FieldError } from '../../lib/errors.ts';
import type { Principal } from '../../lib/principal.ts';
import { findGroupId } from '../../lib/refs.ts';
import { authorize, requireGrantRole, requireOwnPassword, type PersonNeed } from '../../policy/index.ts';
import { hashNewPassword } from '../auth/strong-password.ts';
import { linksService } from '../auth/links.service.ts';
import { reconcileEnrollments, usersById } from '../enrollments/enrollment-engine.ts';
import { addMemberships, type MembershipSource } from '../groups/membership.service.ts';
import { applyRulesForUsers } from '../rules/rules.engine.ts';
import { erasedProfile, pendingInvitation } from './user-view.ts';

type CreateBody = z.output<typeof createUserBodySchema>;
type PatchBody = z.output<typeof patchUserBodySchema>;
type UpsertBody = z.output<typeof upsertUserBodySchema>;

const sourceOf = (p: Principal): MembershipSource => (p.type === 'client' ? 'api' : 'manual');
const ruleInputs = new Set(['email', 'status', 'department', 'country', 'title', 'managerId', 'attributes']);

function conflict(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    const target = JSON.stringify(error.meta ?? {});
    if (target.includes('external_id') || target.includes('externalId'))
      throw new AppError('external_id_taken', 'Another user already has this externalId.', [
        { field: 'body.externalId', message: 'is already used' },
      ]);
    throw new AppError('email_taken', 'Another user already has this e-mail address.', [
      { field: 'body.email', message: 'is already used' },
    ]);
  }
  throw error;
}

/** A person deactivated: signed out everywhere, and `user.deactivated` in the outbox. */
export async function deactivated(tx: Db & Models<'refreshToken'>, userId: string) {
  await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  await emit(tx, 'user.deactivated', { userId });
}

/** Creating, changing, upserting (by externalId) and removing a person. */
export function userWrites(
  deps: Deps<'db' | 'env' | 'boss' | 'jwt' | 'touchActivity' | 'forgetPrincipal'>,
  requirePerson: (principal: Principal, ref: string, need?: PersonNeed) => Promise<UserRow>,
) {
  const prisma = deps.db.prisma;
  const links = linksService(deps);

  /** Resolves `groups: [{group, role}]` to ids; unknown groups are a 422 naming each bad entry. */
  async function resolveGroups(db: Db & Parameters<typeof findGroupId>[0], groups: CreateBody['groups']) {
    const resolved: { groupId: string; role: GroupRole }[] = [];
    const errors: FieldError[] = [];
    for (const [i, entry] of (groups ?? []).entries()) {
      const id = await findGroupId(db, entry.group);
      if (id) resolved.push({ groupId: id, role: entry.role });
      else errors.push({ field: `body.groups.${i}.group`, message: `group ${entry.group} does not exist` });
    }
    if (errors.length) throw new AppError('invalid_reference', 'Some groups do not exist.', errors);
    return resolved;
  }

  async function checkManager(db: Pick<typeof prisma, 'user'>, managerId: string | null | undefined) {
    if (!managerId) return;
    const found = await db.user.findUnique({ where: { id: managerId }, select: { id: true } });
    if (!found)
      throw new AppError('invalid_reference', 'The manager does not exist.', [
        { field: 'body.managerId', message: 'unknown user' },
      ]);
  }

  async function create(principal: Principal, body: CreateBody): Promise<UserRow> {
    authorize(principal, 'createUsers');
    requireGrantRole(principal, body.role);
    const passwordHash = body.password ? await hashNewPassword(body.password, body) : null;
    // Without a password the person is invited (a one-time link by mail), unless told not to or SSO-only is on.
    const invite = !body.password && body.invite !== false && deps.env.COVEY_SSO_ONLY !== '1';
    try {
      return await prisma.$transaction(async (tx) => {
        const groups = await resolveGroups(tx, body.groups);
        await checkManager(tx, body.managerId);
        const user = await tx.user.create({
          data: {
            email: body.email,
            firstName: body.firstName,
            lastName: body.lastName,
            role: body.role,
            externalId: body.externalId ?? null,
            passwordHash,
            locale: body.locale ?? 'en',
            department: body.department ?? null,
            country: body.country ?? null,
            title: body.title ?? null,
            managerId: body.managerId ?? null,
            attributes: body.attributes ?? {},
            notifyEmail: body.notifyEmail ?? 'immediately',
          },
        });
        await emit(tx, 'user.created', { userId: user.id, email: user.email, externalId: user.externalId });
        await addMemberships(tx, user.id, groups, sourceOf(principal));
        await applyRulesForUsers(tx, [user.id]);
        await audit(tx, principal, 'user.create', { type: 'user', id: user.id });
        if (invite) await links.issue(tx, user, 'invite', principal);
        return tx.user.findUniqueOrThrow({ where: { id: user.id }, include: pendingInvitation() });
      });
    } catch (error) {
      return conflict(error);
    }
  }

  async function update(principal: Principal, ref: string, body: PatchBody): Promise<UserRow> {
    const current = await requirePerson(principal, ref, 'manage');
    if (body.password !== undefined) requireOwnPassword(principal, current.id);
    if (body.role && body.role !== current.role) requireGrantRole(principal, body.role);
    if (body.role && current.role === 'owner' && body.role !== 'owner') await assertAnotherOwner(current.id);
    if (body.status === 'deactivated' && current.role === 'owner') await assertAnotherOwner(current.id);
    const passwordHash = body.password ? await hashNewPassword(body.password, current) : undefined;
    try {
      const user = await prisma.$transaction(async (tx) => {
        await checkManager(tx, body.managerId);
        if (body.managerId === current.id)
          throw new AppError('unprocessable', 'A user cannot be their own manager.', [
            { field: 'body.managerId', message: 'is the user' },
          ]);
        const user = await tx.user.update({
          where: { id: current.id },
          include: pendingInvitation(),
          data: {
            email: body.email,
            firstName: body.firstName,
            lastName: body.lastName,
            role: body.role,
            status: body.status,
            deactivatedAt: body.status === undefined ? undefined : body.status === 'deactivated' ? new Date() : null,
            externalId: body.externalId,
            passwordHash,
            locale: body.locale,
            department: body.department,
            country: body.country,
            title: body.title,
            managerId: body.managerId,
            attributes: body.attributes,
            notifyEmail: body.notifyEmail,
            version: { increment: 1 },
          },
        });
        if (body.status === 'deactivated' && current.status === 'active') await deactivated(tx, user.id);
        if (body.status === 'active' && current.status === 'deactivated')
          await reconcileEnrollments(tx, { users: usersById([user.id]) });
        // Membership rules read the profile (and only take active users): re-evaluate them for this user.
        if (Object.keys(body).some((k) => ruleInputs.has(k))) await applyRulesForUsers(tx, [user.id]);
        await emit(tx, 'user.updated', { userId: user.id, fields: Object.keys(body) });
        await audit(tx, principal, 'user.update', { type: 'user', id: user.id }, { fields: Object.keys(body) });
        return user;
      });
      deps.forgetPrincipal('user', user.id);
      return user;
    } catch (error) {
      return conflict(error);
    }
  }

  async function assertAnotherOwner(userId: string) {
    const others = await prisma.user.count({ where: { role: 'owner', status: 'active', id: { not: userId } } });
    if (others === 0) throw new AppError('last_owner', 'The workspace must keep at least one active owner.');
  }

  return {
    create,
    update,

    /** PUT /users/ext:{externalId}: the same externalId twice gives the same user; answers whether it was created. */
    async upsertByExternalId(principal: Principal, externalId: string, body: UpsertBody) {
      authorize(principal, 'createUsers');
      const existing = await prisma.user.findUnique({ where: { externalId } });
      if (!existing)
        return { created: true, user: await create(principal, { ...body, role: body.role ?? 'learner', externalId }) };
      const { groups, password: _password, ...rest } = body;
      const user = await update(principal, existing.id, rest);
      if (groups?.length) {
        await prisma.$transaction(async (tx) => {
          await addMemberships(tx, user.id, await resolveGroups(tx, groups), sourceOf(principal));
        });
      }
      return { created: false, user };
    },

    /**
     * DELETE deactivates (history and stats stay, sign-in is blocked); `erase` also pseudonymizes. `dryRun` answers
     * what it would end and keep: sessions signed out, groups and enrollments kept.
     */
    async remove(principal: Principal, ref: string, erase: boolean, dryRun = false) {
      const current = await requirePerson(principal, ref, 'manage');
      if (current.role === 'owner') await assertAnotherOwner(current.id);
      if (dryRun) {
        const [activeSessions, groups, enrollments] = await Promise.all([
          prisma.refreshToken.count({ where: { userId: current.id, revokedAt: null, expiresAt: { gt: new Date() } } }),
          prisma.membership.findMany({
            where: { userId: current.id },
            distinct: ['groupId'],
            select: { groupId: true },
          }),
          prisma.enrollment.count({ where: { userId: current.id, status: { not: 'withdrawn' } } }),
        ]);
        return { dryRun: true as const, erase, activeSessions, groups: groups.length, enrollments };
      }
      await prisma.$transaction(async (tx) => {
        await tx.user.update({
          where: { id: current.id },
          data: {
            status: 'deactivated',
            deactivatedAt: current.deactivatedAt ?? new Date(),
            version: { increment: 1 },
            ...(erase ? erasedProfile(current.id, new Date()) : {}),
          },
        });
        if (current.status === 'active') await deactivated(tx, current.id);
        // Erased attributes no longer match any rule.
        if (erase) await applyRulesForUsers(tx, [current.id]);
        await audit(tx, principal, erase ? 'user.erase' : 'user.deactivate', { type: 'user', id: current.id });
      });
      deps.forgetPrincipal('user', current.id);
    },
  };
}
