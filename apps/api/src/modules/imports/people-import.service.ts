import type { Deps } from '../../lib/deps.ts';
import { fromPrisma } from 'pg-boss';
import type { z } from 'zod';
import type { ImportOutcome, PeopleImport, PeopleImportRow, peopleImportRowsQuerySchema } from '@covey/schema';
import type { PeopleImport as ImportRow } from '../../generated/prisma/client.ts';
import { audit } from '../../lib/audit.ts';
import { chunks } from '../../lib/chunks.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import type { Principal } from '../../lib/principal.ts';
import { isUuid } from '../../lib/refs.ts';
import { authorize, canReadBulkOperation } from '../../policy/index.ts';
import { PEOPLE_IMPORT_QUEUE, SEP } from './people-apply.ts';
import { parsePeopleCsv, refuseDuplicates, type CsvRow } from './people-csv.ts';
import { loadFacts, planRows, type Planned } from './people-plan.ts';

type RowsQuery = z.output<typeof peopleImportRowsQuerySchema>;
type Counts = Record<ImportOutcome, number>;
const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0, refused: 0 });
/** Rows per INSERT of the dry run's report (10 columns: far below the 65,535 bind parameters). */
const ROWS_PER_INSERT = 5_000;

/**
 * People imports: the upload is read and planned at once (the dry run: nothing is written but the import and its
 * report), then applied in the background by the job of people-apply.ts, the same file as planned.
 */
export function peopleImportService(deps: Deps<'db' | 'boss'>) {
  const prisma = deps.db.prisma;

  async function find(principal: Principal, id: string) {
    const found = isUuid(id) ? await prisma.peopleImport.findUnique({ where: { id } }) : null;
    if (!found || !canReadBulkOperation(principal, { userId: found.createdById, clientId: found.clientId }))
      throw notFound('not_found', 'The import');
    return found;
  }

  /** The import with its counts: the dry run's plan, and the results so far once applied. */
  async function view(found: ImportRow): Promise<PeopleImport> {
    const counts = await prisma.$queryRaw<{ plan: ImportOutcome; result: ImportOutcome | null; n: number }[]>`
      SELECT plan, result, count(*)::int AS n FROM people_import_rows WHERE import_id = ${found.id}::uuid GROUP BY plan, result`;
    const plan = zero();
    const result = zero();
    for (const c of counts) {
      plan[c.plan] += c.n;
      if (c.result) result[c.result] += c.n;
    }
    return {
      id: found.id,
      status: found.status as PeopleImport['status'],
      fileName: found.fileName,
      total: found.total,
      processed: Math.min(found.processed, found.total),
      invite: found.invite,
      plan,
      result: found.appliedAt ? result : null,
      createdAt: found.createdAt.toISOString(),
      appliedAt: found.appliedAt?.toISOString() ?? null,
      finishedAt: found.finishedAt?.toISOString() ?? null,
    };
  }

  async function store(principal: Principal, fileName: string | null, rows: CsvRow[], planned: Planned[]) {
    return prisma.$transaction(async (tx) => {
      const created = await tx.peopleImport.create({
        data: {
          fileName,
          total: rows.length,
          createdById: principal.type === 'user' ? principal.id : null,
          clientId: principal.type === 'client' ? principal.id : null,
        },
      });
      for (const part of chunks(rows, ROWS_PER_INSERT)) {
        const plan = part.map((r) => planned[r.index]!);
        await tx.$executeRaw`
          INSERT INTO people_import_rows (import_id, index, line, email, external_id, first_name, last_name, role, groups, plan, code, message, changes, user_id)
          SELECT ${created.id}::uuid, t.index, t.line, t.email, t.ext, t.fn, t.ln, t.role, string_to_array(t.groups, ${SEP}), t.plan, t.code,
            t.message, string_to_array(t.changes, ${SEP}), t.user_id
          FROM unnest(${part.map((r) => r.index)}::int[], ${part.map((r) => r.line)}::int[], ${part.map((r) => r.email)}::text[],
            ${part.map((r) => r.externalId)}::text[], ${part.map((r) => r.firstName)}::text[], ${part.map((r) => r.lastName)}::text[],
            ${part.map((r) => r.role ?? r.rawRole)}::text[], ${part.map((r) => r.groups.map((g) => g.raw).join(SEP))}::text[],
            ${plan.map((p) => p.outcome)}::text[], ${plan.map((p) => p.code)}::text[], ${plan.map((p) => p.message)}::text[],
            ${plan.map((p) => p.changes.join(SEP))}::text[], ${plan.map((p) => p.userId)}::uuid[])
            AS t(index, line, email, ext, fn, ln, role, groups, plan, code, message, changes, user_id)`;
      }
      await audit(tx, principal, 'people.import.analyse', { type: 'people_import', id: created.id }, { total: rows.length });
      return created;
    });
  }

  return {
    /** Reads and plans a file (the dry run): a report per row, nothing written but the import itself. */
    async analyse(principal: Principal, bytes: Buffer, fileName: string | null) {
      authorize(principal, 'importPeople');
      const rows = parsePeopleCsv(bytes);
      refuseDuplicates(rows);
      const planned = planRows(principal, rows, await loadFacts(prisma, rows.filter((r) => !r.refusal)));
      return view(await store(principal, fileName, rows, planned));
    },

    async get(principal: Principal, id: string) {
      return view(await find(principal, id));
    },

    /** The report, row by row in file order: the dry run's plan, and each row's result once applied. */
    async rows(principal: Principal, id: string, query: RowsQuery): Promise<{ items: PeopleImportRow[]; nextCursor: string | null }> {
      const found = await find(principal, id);
      const after = decodeCursor(query.cursor, ['int'])?.[0] ?? -1;
      const rows = await prisma.peopleImportRow.findMany({
        where: {
          importId: found.id,
          index: { gt: after },
          ...(query.outcome ? { OR: [{ result: query.outcome }, { result: null, plan: query.outcome }] } : {}),
        },
        orderBy: { index: 'asc' },
        take: query.limit + 1,
      });
      const page = toPage(rows, query.limit, (r) => [r.index]);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((r) => ({
          index: r.index,
          line: r.line,
          email: r.email,
          externalId: r.externalId,
          firstName: r.firstName,
          lastName: r.lastName,
          role: r.role,
          groups: r.groups,
          plan: r.plan as ImportOutcome,
          result: r.result as ImportOutcome | null,
          code: r.code,
          message: r.message,
          changes: r.changes,
          userId: r.userId,
        })),
      };
    },

    /**
     * Applies the analysed file in the background (202): its valid rows go ahead, the refused ones stay out. Only
     * once; only by whoever may import people now (their rank decides the rows again as they are applied).
     */
    async apply(principal: Principal, id: string, invite: boolean) {
      authorize(principal, 'importPeople');
      const found = await find(principal, id);
      const applied = await prisma.$transaction(async (tx) => {
        const claimed = await tx.peopleImport.updateMany({
          where: { id: found.id, status: 'ready' },
          data: { status: 'queued', appliedAt: new Date(), invite, actor: principal },
        });
        if (claimed.count === 0) throw new AppError('conflict', 'This import was already applied.');
        // The job commits with the change: no applied import is ever left without its worker.
        await deps.boss.send(PEOPLE_IMPORT_QUEUE, { importId: found.id }, { db: fromPrisma(tx), singletonKey: found.id, retryLimit: 10, retryBackoff: true, heartbeatSeconds: 10 });
        await audit(tx, principal, 'people.import.apply', { type: 'people_import', id: found.id }, { total: found.total, invite });
        return tx.peopleImport.findUniqueOrThrow({ where: { id: found.id } });
      });
      return view(applied);
    },
  };
}
