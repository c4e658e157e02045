import type { PrismaClient } from '../generated/prisma/client.ts';

/**
 * The SQL handle every statement-level helper takes: the root client or a transaction's (both have raw queries).
 * One name for it across the code.
 */
export type Db = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;
