import type { Me, User } from '@covey/schema';
import type { User as UserRow } from '../../generated/prisma/client.ts';
import { apiTime } from '../../db/timestamps.ts';

const iso = (d: Date | string | null) => (d ? apiTime(d) : null);

/** A person with their pending invitation, if any (select it with `pendingInvitation`). */
type WithInvitation = UserRow & { accessTokens?: { expiresAt: Date }[] };

/** The pending invitation link of a person, to include with a query of users. */
export const pendingInvitation = () => ({
  accessTokens: {
    where: { kind: 'invite' as const, usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { expiresAt: true },
    orderBy: { expiresAt: 'desc' as const },
    take: 1,
  },
});

/** Invited: active, yet has never chosen a password nor signed in. */
export const stateOf = (u: UserRow): User['state'] =>
  u.status === 'deactivated' ? 'deactivated' : !u.passwordHash && !u.lastLoginAt ? 'invited' : 'active';

export const toUser = (u: WithInvitation): User => ({
  id: u.id,
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
  role: u.role,
  status: u.status,
  state: stateOf(u),
  invitation: u.accessTokens?.[0] ? { expiresAt: u.accessTokens[0].expiresAt.toISOString() } : null,
  externalId: u.externalId,
  locale: u.locale,
  department: u.department,
  country: u.country,
  title: u.title,
  managerId: u.managerId,
  attributes: (u.attributes ?? {}) as Record<string, string>,
  notifyEmail: u.notifyEmail,
  lastLoginAt: iso(u.lastLoginAt),
  lastActivityAt: iso(u.lastActivityAt),
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

export const toMe = (
  u: Pick<UserRow, 'id' | 'email' | 'firstName' | 'lastName' | 'role' | 'locale' | 'notifyEmail'> & { lastLoginAt: Date | string | null },
): Me => ({
  id: u.id,
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
  role: u.role,
  locale: u.locale,
  notifyEmail: u.notifyEmail,
  lastLoginAt: iso(u.lastLoginAt),
});

export const userSummarySelect = { id: true, email: true, firstName: true, lastName: true } as const;

/** What an erased person's row keeps: nothing personal (the row stays, for history, progress and statistics). */
export const erasedProfile = (id: string, now: Date) => ({
  email: `erased-${id}@erased.invalid`,
  firstName: 'Erased',
  lastName: 'User',
  externalId: null,
  userName: null,
  emails: [],
  passwordHash: null,
  department: null,
  country: null,
  title: null,
  managerId: null,
  attributes: {},
  erasedAt: now,
});
