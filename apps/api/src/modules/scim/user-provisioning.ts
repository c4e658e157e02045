import type { FastifyRequest } from 'fastify';
import { Prisma, type User as UserRow } from '../../generated/prisma/client.ts';
import { emit } from '../../db/outbox.ts';
import type { Tx } from '../../db/sql.ts';
import type { Deps } from '../../lib/deps.ts';
import { isUuid } from '../../lib/refs.ts';
import { scimManages } from '../../policy/index.ts';
import { linksService } from '../auth/links.service.ts';
import { reconcileEnrollments, usersById } from '../enrollments/enrollment-engine.ts';
import { deactivated } from '../users/user-writes.ts';
import { erasedProfile } from '../users/user-view.ts';
import { auditScim, checkIfMatch, type ScimCaller } from './resource.ts';
import { applyMembershipRules } from './rules-hook.ts';
import { ScimError, scimNotFound } from './scim-error.ts';
import { ENTERPRISE_KEYS, readUser, scimUserName, storedEmails, type UserInput } from './user-mapping.ts';

function uniqueness(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    const target = JSON.stringify(error.meta ?? {});
    const what = target.includes('external')
      ? 'externalId'
      : /user_?name/i.test(target)
        ? 'userName'
        : target.includes('email')
          ? 'e-mail address'
          : 'userName or e-mail address';
    throw new ScimError(409, `Another user already has this ${what}.`, 'uniqueness');
  }
  throw error;
}

/** JSON with object keys sorted: jsonb does not keep key order, so stored and desired values compare by this. */
const canonical = (value: unknown): string =>
  JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
/** Provisioning a user from the directory: create, save (what PUT and PATCH replace), erase (DELETE). */
export function scimUserProvisioning(deps: Deps<'db' | 'env' | 'boss' | 'jwt' | 'touchActivity' | 'forgetPrincipal'>) {
  const prisma = deps.db.prisma;
  const links = linksService(deps);

  /** The row, locked for the rest of the transaction: PATCH is read-modify-write. Erased users are gone. */
  async function lockUser(tx: Tx, id: string): Promise<UserRow> {
    if (!isUuid(id)) throw scimNotFound('User', id);
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${id}::uuid FOR UPDATE`;
    const user = await tx.user.findUnique({ where: { id } });
    if (!user || user.erasedAt) throw scimNotFound('User', id);
    return user;
  }

  async function resolveManager(tx: Tx, ref: string | null, self?: string): Promise<string | null> {
    if (!ref) return null;
    const found = await tx.user.findFirst({
      where: {
        erasedAt: null,
        ...(isUuid(ref) ? { OR: [{ id: ref.toLowerCase() }, { externalId: ref }] } : { externalId: ref }),
      },
      select: { id: true },
    });
    // An IdP may name a manager it has not provisioned yet: the link waits for the next update.
    return found && found.id !== self ? found.id : null;
  }

  /**
   * A userName is unique among SCIM users, and a user made before userNames were stored goes by its e-mail: the
   * unique index sees the first kind of clash, this the second. An erased person's userName is free (an erase
   * that left it behind gives it up here).
   */
  async function claimUserName(tx: Tx, userName: string, self?: string) {
    await tx.user.updateMany({ where: { userName, erasedAt: { not: null } }, data: { userName: null } });
    const taken = await tx.user.findFirst({
      where: { userName: null, email: userName, erasedAt: null, ...(self ? { id: { not: self } } : {}) },
      select: { id: true },
    });
    if (taken) throw new ScimError(409, 'Another user already has this userName.', 'uniqueness');
  }

  function columns(input: UserInput, managerId: string | null, current?: UserRow) {
    const attributes = { ...((current?.attributes ?? {}) as Record<string, unknown>) };
    for (const key of ENTERPRISE_KEYS) {
      const value = input.enterprise[key];
      if (value === null) delete attributes[key];
      else attributes[key] = value;
    }
    return {
      userName: input.userName,
      email: input.email,
      emails: input.emails as Prisma.InputJsonValue,
      firstName: input.firstName,
      lastName: input.lastName,
      ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
      title: input.title,
      country: input.country,
      department: input.department,
      managerId,
      attributes: attributes as Prisma.InputJsonValue,
    };
  }

  async function create(caller: ScimCaller, body: Record<string, unknown>): Promise<UserRow> {
    const input = readUser(body);
    try {
      return await prisma.$transaction(async (tx) => {
        await claimUserName(tx, input.userName);
        const active = input.active ?? true;
        const user = await tx.user.create({
          data: {
            ...columns(input, await resolveManager(tx, input.managerRef)),
            role: 'learner',
            status: active ? 'active' : 'deactivated',
            deactivatedAt: active ? null : new Date(),
          },
        });
        await emit(tx, 'user.created', { userId: user.id, email: user.email, externalId: user.externalId });
        await applyMembershipRules(tx, [user.id]);
        await auditScim(tx, caller, 'user.create', { type: 'user', id: user.id });
        // Provisioned people are invited to choose a password, unless they sign in only through single sign-on.
        if (active && !user.passwordHash && deps.env.COVEY_SSO_ONLY !== '1')
          await links.issue(tx, user, 'invite', null);
        return user;
      });
    } catch (error) {
      return uniqueness(error);
    }
  }

  /** Authority over an account follows rank: the identity provider does not change admins or owners. */
  function assertManages(user: UserRow) {
    if (!scimManages(user.role))
      throw new ScimError(403, `The identity provider cannot change an account of the ${user.role} rank.`);
  }

  /** PUT and PATCH both end here: the desired state replaces the user's SCIM-managed fields. */
  async function save(
    caller: ScimCaller,
    request: FastifyRequest,
    id: string,
    desired: (current: UserRow) => UserInput,
  ) {
    try {
      const saved = await prisma.$transaction(async (tx) => {
        const current = await lockUser(tx, id);
        checkIfMatch(request, current.version);
        const input = desired(current);
        const data = columns(input, await resolveManager(tx, input.managerRef, current.id), current);
        // A user made before userNames and e-mails were stored has them as SCIM shows them (its e-mail).
        const was: Record<keyof typeof data, unknown> = {
          ...current,
          userName: scimUserName(current),
          emails: storedEmails(current),
        };
        const changed = (Object.keys(data) as (keyof typeof data)[]).filter(
          (key) => canonical(data[key]) !== canonical(was[key]),
        );
        const active = input.active ?? current.status === 'active';
        const statusChanged = active !== (current.status === 'active');
        if (!changed.length && !statusChanged) return current;
        assertManages(current);
        if (changed.includes('userName')) await claimUserName(tx, input.userName, current.id);
        if (statusChanged && !active && current.role === 'owner') {
          const others = await tx.user.count({ where: { role: 'owner', status: 'active', id: { not: current.id } } });
          if (others === 0)
            throw new ScimError(400, 'The last active owner of the workspace cannot be deactivated.', 'mutability');
        }
        const user = await tx.user.update({
          where: { id: current.id },
          data: {
            ...data,
            ...(statusChanged
              ? { status: active ? 'active' : 'deactivated', deactivatedAt: active ? null : new Date() }
              : {}),
            version: { increment: 1 },
          },
        });
        if (changed.length) await emit(tx, 'user.updated', { userId: user.id, fields: changed });
        if (statusChanged && !active) await deactivated(tx, user.id);
        if (statusChanged && active) await reconcileEnrollments(tx, { users: usersById([user.id]) });
        const profile = ['title', 'country', 'department', 'managerId', 'attributes'] as const;
        // Rules read the profile and only make active users members: both kinds of change re-evaluate them.
        if (statusChanged || changed.some((key) => (profile as readonly string[]).includes(key)))
          await applyMembershipRules(tx, [user.id]);
        await auditScim(
          tx,
          caller,
          statusChanged && !active ? 'user.deactivate' : 'user.update',
          { type: 'user', id: user.id },
          {
            fields: statusChanged ? [...changed, 'status'] : changed,
          },
        );
        return user;
      });
      deps.forgetPrincipal('user', saved.id);
      return saved;
    } catch (error) {
      return uniqueness(error);
    }
  }

  /**
   * DELETE (RFC 7644 section 3.6: the resource is then gone) erases the person as Covey's erase does: deactivated,
   * signed out, pseudonymized (e-mail `erased-<id>@erased.invalid`, no names, userName, externalId, e-mails or
   * profile), rules re-applied. Progress, posts and statistics stay, under a name that is no one's.
   */
  async function erase(caller: ScimCaller, request: FastifyRequest, id: string) {
    const userId = await prisma.$transaction(async (tx) => {
      const current = await lockUser(tx, id);
      checkIfMatch(request, current.version);
      assertManages(current);
      const now = new Date();
      await tx.user.update({
        where: { id: current.id },
        data: {
          status: 'deactivated',
          deactivatedAt: current.deactivatedAt ?? now,
          ...erasedProfile(current.id, now),
          version: { increment: 1 },
        },
      });
      await tx.refreshToken.updateMany({ where: { userId: current.id, revokedAt: null }, data: { revokedAt: now } });
      // An invitation or a password reset sent to the person must not open the erased account.
      await tx.userToken.updateMany({
        where: { userId: current.id, usedAt: null, revokedAt: null },
        data: { revokedAt: now },
      });
      if (current.status === 'active') await emit(tx, 'user.deactivated', { userId: current.id });
      // Erased attributes no longer match any rule.
      await applyMembershipRules(tx, [current.id]);
      await auditScim(tx, caller, 'user.erase', { type: 'user', id: current.id });
      return current.id;
    });
    deps.forgetPrincipal('user', userId);
  }
  return { create, save, erase };
}
