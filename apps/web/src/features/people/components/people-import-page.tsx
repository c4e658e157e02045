import { useId, useState, type ChangeEvent } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { ProgressBar } from '@/components/ui/progress-bar';
import { ErrorNotice } from '@/components/ui/query-state';
import { ApiError } from '@/lib/api-client';
import { useT, type MessageKey } from '@/lib/i18n';
import { usePlural } from '@/lib/i18n/plural';
import {
  downloadPeopleTemplate,
  useAnalysePeopleImport,
  useApplyPeopleImport,
  usePeopleImport,
  usePeopleImportRows,
  type ImportOutcome,
  type PeopleImport,
  type PeopleImportRow,
} from '../api/people-import';

const outcomeLabels: Record<ImportOutcome, { plan: MessageKey; result: MessageKey; badge: string }> = {
  created: { plan: 'peopleImport.willCreate', result: 'peopleImport.created', badge: 'badge badge-succeeded' },
  updated: { plan: 'peopleImport.willUpdate', result: 'peopleImport.updated', badge: 'badge badge-pending' },
  unchanged: { plan: 'peopleImport.unchanged', result: 'peopleImport.unchanged', badge: 'badge' },
  refused: { plan: 'peopleImport.refused', result: 'peopleImport.refused', badge: 'badge badge-failed' },
};

// Why a row is refused, from the API's stable codes (apps/api/src/modules/imports), in the page's language.
const reasons: Record<string, MessageKey> = {
  invalid_email: 'peopleImport.reason.invalidEmail',
  missing_identity: 'peopleImport.reason.missingIdentity',
  missing_name: 'peopleImport.reason.missingName',
  invalid_role: 'peopleImport.reason.invalidRole',
  invalid_value: 'peopleImport.reason.invalidValue',
  unknown_group: 'peopleImport.reason.unknownGroup',
  ambiguous_group: 'peopleImport.reason.ambiguousGroup',
  duplicate_row: 'peopleImport.reason.duplicateRow',
  rank: 'peopleImport.reason.rank',
  email_taken: 'peopleImport.reason.emailTaken',
  external_id_conflict: 'peopleImport.reason.externalIdConflict',
  erased: 'peopleImport.reason.erased',
};

const fieldLabels: Record<string, MessageKey> = {
  email: 'peopleImport.column.email',
  externalId: 'peopleImport.column.externalId',
  firstName: 'peopleImport.column.firstName',
  lastName: 'peopleImport.column.lastName',
  role: 'peopleImport.column.role',
};

/** Admin > People > Import: choose a file, read the dry run row by row, import the valid rows, follow the progress. */
export function PeopleImportPage() {
  const t = useT();
  const id = useId();
  const analyse = useAnalysePeopleImport();
  const apply = useApplyPeopleImport();
  const [importId, setImportId] = useState<string | null>(null);
  const [invite, setInvite] = useState(true);
  const current = usePeopleImport(importId);
  const shown = current.data ?? analyse.data;

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setImportId(null);
    apply.reset();
    analyse.reset();
    if (file) analyse.mutate(file, { onSuccess: (created) => setImportId(created.id) });
  };

  return (
    <div className="stack">
      <h1>{t('peopleImport.title')}</h1>
      <section className="card stack-sm" aria-labelledby={`${id}-file`}>
        <h2 id={`${id}-file`}>{t('peopleImport.file')}</h2>
        <p className="muted small">{t('peopleImport.hint')}</p>
        <ul className="muted small">
          <li>{t('peopleImport.hintMatch')}</li>
          <li>{t('peopleImport.hintGroups')}</li>
          <li>{t('peopleImport.hintRank')}</li>
        </ul>
        <pre className="mail-text code-sample mono">
          {'email,externalId,firstName,lastName,role,groups\nana.lima@example.com,HR-1042,Ana,Lima,learner,France/Paris|ext:lyon-retail:observer'}
        </pre>
        <div className="button-row">
          <button type="button" className="button" onClick={() => void downloadPeopleTemplate()}>
            {t('peopleImport.template')}
          </button>
        </div>
        <div className="field">
          <label htmlFor={`${id}-input`}>{t('peopleImport.chooseFile')}</label>
          <input id={`${id}-input`} type="file" accept=".csv,text/csv" onChange={choose} disabled={analyse.isPending} />
        </div>
        {analyse.isPending && <p role="status">{t('peopleImport.checking')}</p>}
        {analyse.isError && <FileProblem error={analyse.error} />}
      </section>

      {shown && (
        <ImportReport
          key={shown.id}
          value={shown}
          invite={invite}
          onInvite={setInvite}
          applying={apply.isPending}
          applyError={apply.error}
          onApply={() => apply.mutate({ id: shown.id, invite })}
        />
      )}
    </div>
  );
}

/** Why the file as a whole was not taken: the API's words per header problem, under a sentence in the page's language. */
function FileProblem({ error }: { error: unknown }) {
  const t = useT();
  if (!(error instanceof ApiError) || ![400, 413, 415].includes(error.status)) return <ErrorNotice error={error} />;
  const key: MessageKey = error.status === 413 ? 'peopleImport.tooLarge' : error.status === 415 ? 'peopleImport.notCsv' : 'peopleImport.badFile';
  return (
    <div role="alert" className="form-error stack-sm">
      <p>{t(key)}</p>
      {error.status === 400 && (
        <ul className="small">
          {error.errors.length > 0 ? error.errors.map((e) => <li key={e.field}>{`${e.field.replace(/^header\.?/, '') || t('peopleImport.header')}: ${e.message}`}</li>) : <li>{error.detail}</li>}
        </ul>
      )}
    </div>
  );
}

function ImportReport(props: {
  value: PeopleImport;
  invite: boolean;
  onInvite: (invite: boolean) => void;
  applying: boolean;
  applyError: unknown;
  onApply: () => void;
}) {
  const { value } = props;
  const t = useT();
  const plural = usePlural();
  const id = useId();
  const [onlyRefused, setOnlyRefused] = useState(false);
  const applied = value.result !== null;
  const counts = value.result ?? value.plan;
  const valid = value.plan.created + value.plan.updated;
  const done = value.status === 'completed' || value.status === 'failed';
  const percent = value.total > 0 ? Math.round((value.processed / value.total) * 100) : 0;
  const rows = usePeopleImportRows(value.id, onlyRefused ? 'refused' : undefined, done ? 'done' : value.status);
  const items = rows.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section className="card stack-sm" aria-labelledby={`${id}-report`}>
      <h2 id={`${id}-report`}>{applied ? t('peopleImport.results') : t('peopleImport.dryRun')}</h2>
      <p className="muted small">{value.fileName ? t('peopleImport.fileRows', { file: value.fileName, rows: value.total }) : plural('peopleImport.rows', value.total)}</p>
      <dl className="mini-stats">
        {(['created', 'updated', 'unchanged', 'refused'] as const).map((o) => (
          <div key={o}>
            <dt className="muted small">{t(applied ? outcomeLabels[o].result : outcomeLabels[o].plan)}</dt>
            <dd className="stat-value">{counts[o]}</dd>
          </div>
        ))}
      </dl>

      {!applied && (
        <div className="stack-sm">
          {value.plan.refused > 0 && <p className="muted small">{t('peopleImport.refusedStayOut')}</p>}
          <label className="checkbox-row">
            <input type="checkbox" checked={props.invite} onChange={(e) => props.onInvite(e.target.checked)} />
            {t('peopleImport.invite')}
          </label>
          {props.applyError !== null && <ErrorNotice error={props.applyError} />}
          <div className="button-row">
            <button type="button" className="button button-primary" onClick={props.onApply} disabled={valid === 0 || props.applying}>
              {plural('peopleImport.apply', valid)}
            </button>
          </div>
        </div>
      )}

      {applied && (
        <div className="stack-sm">
          <ProgressBar value={percent} label={t('peopleImport.progress')} />
          <p role="status">
            {done ? t('peopleImport.done', { processed: value.processed }) : t('peopleImport.running', { processed: value.processed, total: value.total })}
          </p>
        </div>
      )}

      <label className="checkbox-row">
        <input type="checkbox" checked={onlyRefused} onChange={(e) => setOnlyRefused(e.target.checked)} />
        {t('peopleImport.onlyRefused')}
      </label>
      <RowsTable
        rows={rows.data ? items : undefined}
        applied={applied && done}
        caption={applied && done ? t('peopleImport.rowResults') : t('peopleImport.rowPlan')}
        error={rows.error}
        onRetry={() => void rows.refetch()}
      />
      {rows.hasNextPage && (
        <button type="button" className="button load-more" onClick={() => void rows.fetchNextPage()} disabled={rows.isFetchingNextPage}>
          {t('peopleImport.more')}
        </button>
      )}
    </section>
  );
}

function RowsTable(props: { rows: PeopleImportRow[] | undefined; applied: boolean; caption: string; error: unknown; onRetry: () => void }) {
  const t = useT();
  const outcomeOf = (r: PeopleImportRow) => (props.applied && r.result ? r.result : r.plan);
  const detail = (r: PeopleImportRow) => {
    if (outcomeOf(r) === 'refused') return r.code && reasons[r.code] ? t(reasons[r.code]!) : (r.message ?? '');
    return r.changes
      .map((c) => (c.startsWith('+') ? t('peopleImport.joins', { group: c.slice(1) }) : fieldLabels[c] ? t(fieldLabels[c]) : c))
      .join(', ');
  };
  const columns: Column<PeopleImportRow>[] = [
    { id: 'line', header: t('peopleImport.line'), rowHeader: true, cell: (r) => r.line },
    {
      id: 'person',
      header: t('peopleImport.person'),
      cell: (r) => (
        <>
          <span className="mono">{r.email ?? (r.externalId ? `ext:${r.externalId}` : '—')}</span>
          {(r.firstName || r.lastName) && <span className="muted small block">{[r.firstName, r.lastName].filter(Boolean).join(' ')}</span>}
        </>
      ),
    },
    {
      id: 'outcome',
      header: t('peopleImport.outcome'),
      cell: (r) => {
        const label = outcomeLabels[outcomeOf(r)];
        return <span className={label.badge}>{t(props.applied ? label.result : label.plan)}</span>;
      },
    },
    {
      id: 'details',
      header: t('peopleImport.details'),
      cell: (r) => (
        <>
          {detail(r)}
          {r.groups.length > 0 && <span className="muted small block mono">{r.groups.join(' | ')}</span>}
        </>
      ),
    },
  ];
  return (
    <DataTable
      caption={props.caption}
      showCaption
      columns={columns}
      rows={props.rows}
      rowKey={(r) => String(r.index)}
      empty={t('peopleImport.noRows')}
      error={props.error}
      onRetry={props.onRetry}
    />
  );
}
