import type { Deps } from '../../lib/deps.ts';
import { fromPrisma } from 'pg-boss';
import type { z } from 'zod';
import type { bulkMembershipsBodySchema } from '@covey/schema';

import { emitting, membershipPayloads } from '../../db/outbox.ts';
import { audit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import type { Principal } from '../../lib/principal.ts';
import { isUuid } from '../../lib/refs.ts';
import { authorize, canReadBulkOperation } from '../../policy/index.ts';
import { reconcileEnrollments, usersById } from '../enrollments/enrollment-engine.ts';

export const BULK_QUEUE = 'bulk.memberships';
const BATCH = 2000;

type Operation = z.output<typeof bulkMembershipsBodySchema>['operations'][number];
type ItemError = { index: number; code: string; message: string };

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';


export function bulkService(deps: Deps<'db' | 'boss'>) {
  const prisma = deps.db.prisma;

  return {
    async submit(principal: Principal, operations: Operation[]) {
      authorize(principal, 'bulk');
      return prisma.$transaction(async (tx) => {
        const op = await tx.bulkOperation.create({
          data: {
            kind: 'memberships',
            total: operations.length,
            payload: operations,
            createdById: principal.type === 'user' ? principal.id : null,
            clientId: principal.type === 'client' ? principal.id : null,
          },
        });
        // The job commits with the operation: no accepted operation is ever left without its worker.
        // A heartbeat: if the process dies mid-operation, the job is retried soon and resumes after the last batch.
        await deps.boss.send(BULK_QUEUE, { operationId: op.id }, { db: fromPrisma(tx), singletonKey: op.id, retryLimit: 10, retryBackoff: true, heartbeatSeconds: 10 });
        await audit(tx, principal, 'bulk.memberships.submit', { type: 'bulk_operation', id: op.id }, { total: operations.length });
        return op;
      });
    },

    async get(principal: Principal, id: string) {
      // The payload (up to 10,000 items) is not part of the answer: a status poll never reads it.
      const op = isUuid(id) ? await prisma.bulkOperation.findUnique({ where: { id }, omit: { payload: true } }) : null;
      if (!op || !canReadBulkOperation(principal, { userId: op.createdById, clientId: op.clientId })) throw notFound('not_found', 'The bulk operation');
      return op;
    },
  };
}

/**
 * Applies an operation in set-based batches, resuming after the last committed batch: each batch (resolve
 * references, insert/delete memberships, events, reconcile enrollments, progress) is one transaction, so an item is
 * never half-applied and a crash resumes where it stopped. A bad item is reported and never fails the others.
 */
export async function processBulkOperation(deps: Deps<'db'>, operationId: string) {
  const prisma = deps.db.prisma;
  const op = await prisma.bulkOperation.findUnique({ where: { id: operationId } });
  if (!op || op.status === 'completed' || op.status === 'failed') return;
  const operations = op.payload as Operation[];
  const source = op.clientId ? 'api' : 'manual';
  await prisma.bulkOperation.update({ where: { id: op.id }, data: { status: 'running' } });

  for (;;) {
    const finished = await prisma.$transaction(
      async (tx) => {
        // The operation row is locked and its offset read under the lock: one batch at a time, whoever runs it (a
        // retried job after a crash, or two workers), so no batch is ever applied or counted twice.
        const [current] = await tx.$queryRaw<{ processed: number }[]>`
          SELECT processed FROM bulk_operations WHERE id = ${op.id}::uuid FOR UPDATE`;
        const start = current?.processed ?? operations.length;
        if (start >= operations.length) return true;
        const slice = operations.slice(start, start + BATCH);
        const index = slice.map((_, i) => start + i);
        const rows = await tx.$queryRaw<{ idx: number; op: 'add' | 'remove'; role: string; user_id: string | null; group_id: string | null }[]>`
          WITH items AS (
            SELECT * FROM unnest(${index}::int[], ${slice.map((o) => o.op)}::text[], ${slice.map((o) => o.user)}::text[],
              ${slice.map((o) => o.group)}::text[], ${slice.map((o) => o.role)}::text[]) AS t(idx, op, uref, gref, role)
          )
          SELECT i.idx, i.op, i.role, COALESCE(ue.id, ux.id, ui.id)::text AS user_id, COALESCE(gx.id, gi.id)::text AS group_id
          FROM items i
          LEFT JOIN users ue ON i.uref LIKE 'email:%' AND ue.email = lower(substr(i.uref, 7))
          LEFT JOIN users ux ON i.uref LIKE 'ext:%' AND ux.external_id = substr(i.uref, 5)
          LEFT JOIN users ui ON ui.id = (CASE WHEN i.uref ~ ${UUID} THEN i.uref::uuid END)
          LEFT JOIN groups gx ON i.gref LIKE 'ext:%' AND gx.external_id = substr(i.gref, 5)
          LEFT JOIN groups gi ON gi.id = (CASE WHEN i.gref ~ ${UUID} THEN i.gref::uuid END)
          ORDER BY i.idx`;
        const errors: ItemError[] = [];
        const adds: typeof rows = [];
        const removes: typeof rows = [];
        for (const r of rows) {
          if (!r.user_id) errors.push({ index: r.idx, code: 'user_not_found', message: `user ${operations[r.idx]!.user} does not exist` });
          else if (!r.group_id) errors.push({ index: r.idx, code: 'group_not_found', message: `group ${operations[r.idx]!.group} does not exist` });
          else (r.op === 'add' ? adds : removes).push(r);
        }
        const added = adds.length
          ? await tx.$queryRaw<{ user_id: string; group_id: string; role: string }[]>`
              WITH ins AS (
                INSERT INTO memberships (user_id, group_id, role, source)
                SELECT DISTINCT u, g, r::"GroupRole", ${source}::"MembershipSource"
                FROM unnest(${adds.map((a) => a.user_id)}::uuid[], ${adds.map((a) => a.group_id)}::uuid[], ${adds.map((a) => a.role)}::text[]) AS t(u, g, r)
                ON CONFLICT (user_id, group_id, role) DO NOTHING
                RETURNING user_id, group_id, role
              ),
              ev AS (${emitting('group.member.added', membershipPayloads('ins'))})
              SELECT user_id::text, group_id::text, role::text FROM ins`
          : [];
        const removed = removes.length
          ? await tx.$queryRaw<{ user_id: string; group_id: string; role: string }[]>`
              WITH del AS (
                DELETE FROM memberships m
                USING unnest(${removes.map((a) => a.user_id)}::uuid[], ${removes.map((a) => a.group_id)}::uuid[], ${removes.map((a) => a.role)}::text[]) AS t(u, g, r)
                WHERE m.user_id = t.u AND m.group_id = t.g AND m.role::text = t.r AND m.source <> 'rule'
                RETURNING m.user_id, m.group_id, m.role
              ),
              ev AS (${emitting('group.member.removed', membershipPayloads('del'))})
              SELECT user_id::text, group_id::text, role::text FROM del`
          : [];
        const learners = [...new Set([...added, ...removed].filter((m) => m.role === 'learner').map((m) => m.user_id))];
        if (learners.length) await reconcileEnrollments(tx, { users: usersById(learners), additive: !removed.length });
        await tx.$executeRaw`
          UPDATE bulk_operations SET
            processed = processed + ${slice.length},
            succeeded = succeeded + ${slice.length - errors.length},
            failed = failed + ${errors.length},
            errors = errors || ${JSON.stringify(errors)}::jsonb
          WHERE id = ${op.id}::uuid`;
        return false;
      },
      { timeout: 300_000 },
    );
    if (finished) break;
  }
  await prisma.bulkOperation.update({ where: { id: op.id }, data: { status: 'completed', finishedAt: new Date() } });
}

export const toBulkOperation = (op: { id: string; kind: string; status: 'queued' | 'running' | 'completed' | 'failed'; total: number; processed: number; succeeded: number; failed: number; errors: unknown; createdAt: Date; finishedAt: Date | null }) => ({
  id: op.id,
  kind: op.kind,
  status: op.status,
  total: op.total,
  processed: op.processed,
  succeeded: op.succeeded,
  failed: op.failed,
  errors: op.errors as ItemError[],
  createdAt: op.createdAt.toISOString(),
  finishedAt: op.finishedAt?.toISOString() ?? null,
});

