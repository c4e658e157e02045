import { importableRoles } from '@covey/schema';
import { Prisma } from '../../generated/prisma/client.ts';
import { emitting } from '../../db/outbox.ts';
import type { Tx } from '../../db/sql.ts';
import type { Deps } from '../../lib/deps.ts';
import type { Principal } from '../../lib/principal.ts';
import { inviteMany } from '../auth/links.service.ts';
import { addManyMemberships } from '../groups/membership.service.ts';
import { applyRulesForUsers } from '../rules/rules.engine.ts';
import { groupEntries, type CsvRow } from './people-csv.ts';
import { loadFacts, planRows, type Planned } from './people-plan.ts';

export const PEOPLE_IMPORT_QUEUE = 'people.import';
/** Rows per transaction: a batch is applied whole or not at all, and a crash resumes at the next one. */
const BATCH = 1000;
/** Joins lists into one text parameter per row (unnest cannot take an array of arrays). */
export const SEP = '\u001f';

export type StoredRow = {
  index: number;
  line: number;
  email: string | null;
  external_id: string | null;
  first_name: string | null;
  last_name: string | null;
  role: string | null;
  groups: string[];
  plan: string;
  code: string | null;
  message: string | null;
};

/** A stored row as the planner reads it; a row the dry run refused stays refused. */
function toCsvRow(r: StoredRow): CsvRow {
  const role = r.role && (importableRoles as readonly string[]).includes(r.role) ? (r.role as CsvRow['role']) : null;
  return {
    index: r.index,
    line: r.line,
    email: r.email,
    externalId: r.external_id,
    firstName: r.first_name,
    lastName: r.last_name,
    role,
    rawRole: r.role && !role ? r.role : null,
    groups: groupEntries(r.groups.join('|')),
    refusal: r.plan === 'refused' ? { code: r.code ?? 'refused', message: r.message ?? '' } : null,
  };
}

/**
 * Applies an import in batches of rows, resuming after the last committed batch. Each batch is planned again against
 * the directory as it is now (someone may have changed it since the dry run), then written set-based in its own
 * transaction: people updated and created, their events, memberships, rules, enrollments, invitations, audit, and
 * the rows' results. A refused row never stops the others.
 */
export async function processPeopleImport(app: Deps<'db' | 'env' | 'boss' | 'forgetPrincipal'>, importId: string, opts: { stopAfterBatches?: number } = {}) {
  const prisma = app.db.prisma;
  const found = await prisma.peopleImport.findUnique({ where: { id: importId }, select: { status: true, actor: true, invite: true } });
  if (!found || !['queued', 'running'].includes(found.status) || !found.actor) return;
  const principal = found.actor as Principal;
  const invite = found.invite && app.env.COVEY_SSO_ONLY !== '1';
  await prisma.peopleImport.update({ where: { id: importId }, data: { status: 'running' } });

  for (let batches = 0; ; batches++) {
    // A test stops here to play a crash between two committed batches.
    if (opts.stopAfterBatches !== undefined && batches >= opts.stopAfterBatches) return;
    const { finished, touched } = await prisma.$transaction(
      async (tx) => {
        // The import row is locked and its offset read under the lock: one batch at a time, whoever runs it.
        const [current] = await tx.$queryRaw<{ processed: number; total: number }[]>`
          SELECT processed, total FROM people_imports WHERE id = ${importId}::uuid FOR UPDATE`;
        if (!current || current.processed >= current.total) return { finished: true, touched: [] };
        const stored = await tx.$queryRaw<StoredRow[]>`
          SELECT index, line, email, external_id, first_name, last_name, role, groups, plan, code, message
          FROM people_import_rows
          WHERE import_id = ${importId}::uuid AND index >= ${current.processed} AND index < ${current.processed + BATCH}
          ORDER BY index`;
        const rows = stored.map(toCsvRow);
        const planned = planRows(principal, rows, await loadFacts(tx, rows.filter((r) => !r.refusal)));
        const updatedIds = await writeBatch(app, tx, principal, importId, planned, invite);
        await tx.$executeRaw`
          UPDATE people_import_rows r SET result = t.outcome, code = t.code, message = t.message,
            changes = string_to_array(t.changes, ${SEP}), user_id = t.user_id
          FROM unnest(${planned.map((p) => p.index)}::int[], ${planned.map((p) => p.outcome)}::text[], ${planned.map((p) => p.code)}::text[],
            ${planned.map((p) => p.message)}::text[], ${planned.map((p) => p.changes.join(SEP))}::text[], ${planned.map((p) => p.userId)}::uuid[])
            AS t(index, outcome, code, message, changes, user_id)
          WHERE r.import_id = ${importId}::uuid AND r.index = t.index`;
        await tx.$executeRaw`UPDATE people_imports SET processed = processed + ${Math.max(stored.length, 1)} WHERE id = ${importId}::uuid`;
        return { finished: false, touched: updatedIds };
      },
      { timeout: 300_000 },
    );
    // A changed role or e-mail must not linger in the principal cache.
    for (const id of touched) app.forgetPrincipal('user', id);
    if (finished) break;
  }
  await prisma.peopleImport.update({ where: { id: importId }, data: { status: 'completed', finishedAt: new Date() } });
}

/** Writes a planned batch; fills in the ids of created people. Answers the ids of people updated. */
async function writeBatch(app: Deps<'boss' | 'env'>, tx: Tx, principal: Principal, importId: string, planned: Planned[], invite: boolean) {
  const updates = planned.filter((p) => p.outcome === 'updated' && p.write);
  const creates = planned.filter((p) => p.outcome === 'created' && p.write);
  const col = <T>(rows: Planned[], pick: (w: NonNullable<Planned['write']>) => T) => rows.map((p) => pick(p.write!));
  const profileFields = (p: Planned) => p.changes.filter((c) => !c.startsWith('+'));

  // Updates first: an e-mail a row moves away is free for a row that creates a person with it.
  if (updates.length)
    await tx.$executeRaw`
      WITH upd AS (
        UPDATE users u SET
          email = COALESCE(t.email, u.email), external_id = COALESCE(t.ext, u.external_id),
          first_name = COALESCE(t.fn, u.first_name), last_name = COALESCE(t.ln, u.last_name),
          role = COALESCE(t.role::"WorkspaceRole", u.role), version = u.version + 1, updated_at = now()
        FROM unnest(${updates.map((p) => p.userId)}::uuid[], ${col(updates, (w) => w.email)}::text[], ${col(updates, (w) => w.externalId)}::text[],
          ${col(updates, (w) => w.firstName)}::text[], ${col(updates, (w) => w.lastName)}::text[], ${col(updates, (w) => w.role)}::text[],
          ${updates.map((p) => profileFields(p).join(SEP))}::text[]) AS t(id, email, ext, fn, ln, role, fields)
        WHERE u.id = t.id AND t.fields <> ''
        RETURNING u.id, t.fields
      )
      ${emitting('user.updated', Prisma.sql`SELECT jsonb_build_object('userId', id, 'fields', to_jsonb(string_to_array(fields, ${SEP}))) FROM upd`)}`;

  if (creates.length) {
    const created = await tx.$queryRaw<{ id: string; email: string }[]>`
      WITH ins AS (
        INSERT INTO users (email, first_name, last_name, role, external_id, updated_at)
        SELECT email, fn, ln, role::"WorkspaceRole", ext, now()
        FROM unnest(${col(creates, (w) => w.email)}::text[], ${col(creates, (w) => w.firstName)}::text[], ${col(creates, (w) => w.lastName)}::text[],
          ${col(creates, (w) => w.role)}::text[], ${col(creates, (w) => w.externalId)}::text[]) AS t(email, fn, ln, role, ext)
        RETURNING id, email, external_id
      ),
      ev AS (${emitting('user.created', Prisma.sql`SELECT jsonb_build_object('userId', id, 'email', email, 'externalId', external_id) FROM ins`)})
      SELECT id::text, email FROM ins`;
    const idOf = new Map(created.map((c) => [c.email, c.id]));
    for (const p of creates) p.userId = idOf.get(p.write!.email!) ?? null;
    if (invite)
      await inviteMany(app, tx, creates.map((p) => ({ id: p.userId!, email: p.write!.email!, firstName: p.write!.firstName! })), principal);
  }

  const written = [...updates, ...creates];
  if (!written.length) return [];
  await addManyMemberships(
    tx,
    written.flatMap((p) => p.write!.memberships.map((m) => ({ userId: p.userId!, ...m }))),
    principal.type === 'client' ? 'api' : 'manual',
  );
  // Membership rules read the profile: re-evaluated for everyone written (a fixed number of statements).
  await applyRulesForUsers(tx, written.map((p) => p.userId!));
  const actions = written.map((p) => (p.outcome === 'created' ? 'user.create' : 'user.update'));
  await tx.$executeRaw`
    INSERT INTO audit_log (actor_type, actor_id, action, target_type, target_id, data)
    SELECT ${principal.type === 'user' ? 'user' : 'client'}::"ActorType", ${principal.id}, a, 'user', u,
      jsonb_build_object('importId', ${importId}::text)
    FROM unnest(${actions}::text[], ${written.map((p) => p.userId!)}::text[]) AS t(a, u)`;
  return updates.map((p) => p.userId!);
}
