import type { Me, User } from '@covey/schema';
import type { User as UserRow } from '../../generated/prisma/client.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toUser = (u: UserRow): User => ({
  id: u.id,
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
  role: u.role,
  status: u.status,
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

export const toMe = (u: UserRow): Me => ({
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
