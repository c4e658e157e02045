import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { Database } from './database.ts';

/**
 * The handles a helper takes, by what it does with them. The root client is each of them too, so a helper that
 * names the smallest handle it needs runs both inside the caller's transaction and on its own.
 */

/** Raw statements (`$queryRaw`, `$executeRaw`): the root client or a transaction's. */
export type Db = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;

/** The whole model client inside `$transaction` (the root client has all of it too). */
export type Tx = Prisma.TransactionClient;

/** Only these models (`Models<'user' | 'group'>`): what a helper reads or writes through Prisma's model API. */
export type Models<M extends keyof Tx> = Pick<Tx, M>;

/** The hot path's read: a named prepared statement on the server (see database.ts). */
export type Prepared = Pick<Database, 'prepared'>;
