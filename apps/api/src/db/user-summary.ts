import type { UserSummary } from '@covey/schema';
import { Prisma } from '../generated/prisma/client.ts';

/** A user as raw SQL rows carry them (`u.id::text, u.email, u.first_name, u.last_name`). */
export type UserSummaryRow = { id: string; email: string; first_name: string; last_name: string };

/** The row's user as the API shows it (`UserSummary`). */
export const toUserSummary = (r: UserSummaryRow): UserSummary => ({ id: r.id, email: r.email, firstName: r.first_name, lastName: r.last_name });

/** The same summary built in SQL (a json value), from rows of `users` aliased `alias`. */
export const userSummaryJson = (alias: string) =>
  Prisma.raw(`json_build_object('id', ${alias}.id::text, 'email', ${alias}.email, 'firstName', ${alias}.first_name, 'lastName', ${alias}.last_name)`);
