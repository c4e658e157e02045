import { useId, useState, type ChangeEvent } from 'react';
import { ProgressBar } from '@/components/ui/progress-bar';
import { ErrorNotice } from '@/components/ui/query-state';
import { parseCsv } from '@/lib/csv';
import { useT, type MessageKey } from '@/lib/i18n';
import { useBulkOperation, useStartBulkMemberships } from '../api/bulk';

const roles = ['learner', 'observer', 'admin'] as const;
const ops = ['add', 'remove'] as const;
type Row = { line: number; email: string; group: string; role: (typeof roles)[number]; op: (typeof ops)[number] };
type RowError = { line: number; message: string };
type Parsed = { fileName: string; rows: Row[]; errors: RowError[] };

// The bulk API reports per-row problems with the same codes as problem+json answers; say them in the UI's language.
const rowErrorMessages: Record<string, MessageKey> = {
  user_not_found: 'error.userNotFound',
  group_not_found: 'error.groupNotFound',
  invalid_reference: 'error.invalidReference',
  forbidden: 'error.forbidden',
  validation_failed: 'error.validation',
};

const isRole = (v: string): v is Row['role'] => (roles as readonly string[]).includes(v);
const isOp = (v: string): v is Row['op'] => (ops as readonly string[]).includes(v);

/** Reads the file in the browser: a header row naming the columns, then one membership per line. */
function parseImport(fileName: string, text: string, t: (key: MessageKey, values?: Record<string, string | number>) => string): Parsed {
  const [header, ...records] = parseCsv(text);
  if (!header) return { fileName, rows: [], errors: [{ line: 1, message: t('import.emptyFile') }] };
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const at = (name: string) => columns.indexOf(name);
  const missing = ['email', 'group'].filter((name) => at(name) < 0);
  if (missing.length > 0) {
    return { fileName, rows: [], errors: [{ line: header.line, message: t('import.missingColumns', { columns: missing.join(', ') }) }] };
  }
  const rows: Row[] = [];
  const errors: RowError[] = [];
  for (const { line, fields } of records) {
    const get = (name: string) => (at(name) >= 0 ? (fields[at(name)] ?? '').trim() : '');
    const email = get('email');
    const group = get('group');
    const role = (get('role') || 'learner').toLowerCase();
    const op = (get('op') || 'add').toLowerCase();
    const problems: string[] = [];
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) problems.push(t('import.badEmail'));
    if (!group) problems.push(t('import.noGroup'));
    if (!isRole(role)) problems.push(t('import.badRole', { value: role }));
    if (!isOp(op)) problems.push(t('import.badOp', { value: op }));
    if (problems.length > 0 || !isRole(role) || !isOp(op)) errors.push({ line, message: problems.join(' ') });
    else rows.push({ line, email, group, role, op });
  }
  return { fileName, rows, errors };
}

/** Admin > Import: memberships from a CSV file, through the bulk API, with progress and a per-line error report. */
export function UsersImportPage() {
  const t = useT();
  const id = useId();
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [operationId, setOperationId] = useState<string | null>(null);
  const [submittedRows, setSubmittedRows] = useState<Row[]>([]);
  const start = useStartBulkMemberships();
  const operation = useBulkOperation(operationId);

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setOperationId(null);
    start.reset();
    if (!file) return setParsed(null);
    setParsed(parseImport(file.name, await file.text(), t));
  };

  const submit = () => {
    if (!parsed || parsed.rows.length === 0) return;
    const rows = parsed.rows;
    start.mutate(
      {
        operations: rows.map((r) => ({ op: r.op, user: `email:${r.email}`, group: r.group, role: r.role })),
      },
      {
        onSuccess: (op) => {
          setSubmittedRows(rows);
          setOperationId(op.id);
        },
      },
    );
  };

  const op = operation.data;
  const done = op && (op.status === 'completed' || op.status === 'failed');
  const percent = op && op.total > 0 ? Math.round((op.processed / op.total) * 100) : 0;

  return (
    <div className="stack">
      <h1>{t('import.title')}</h1>
      <section className="card stack-sm" aria-labelledby={`${id}-file`}>
        <h2 id={`${id}-file`}>{t('import.file')}</h2>
        <p className="muted small">{t('import.hint')}</p>
        <pre className="mail-text code-sample">{'email,group,role,op\nana@example.com,ext:lyon-retail,learner,add\nomar@example.com,3f2c…,observer,add'}</pre>
        <div className="field">
          <label htmlFor={`${id}-input`}>{t('import.chooseFile')}</label>
          <input id={`${id}-input`} type="file" accept=".csv,text/csv" onChange={(e) => void choose(e)} />
        </div>
        {parsed && (
          <div className="stack-sm">
            <p role="status">
              {t('import.parsed', { file: parsed.fileName, rows: parsed.rows.length, errors: parsed.errors.length })}
            </p>
            {parsed.errors.length > 0 && (
              <ErrorTable caption={t('import.fileErrors')} rows={parsed.errors.map((e) => ({ ...e, detail: '' }))} />
            )}
            {parsed.errors.length > 0 && <p className="muted small">{t('import.fixFirst')}</p>}
            {start.isError && <ErrorNotice error={start.error} />}
            <button
              type="button"
              className="button button-primary"
              onClick={submit}
              disabled={parsed.rows.length === 0 || parsed.errors.length > 0 || start.isPending || (operationId !== null && !done)}
            >
              {t('import.submit', { count: parsed.rows.length })}
            </button>
          </div>
        )}
      </section>

      {operationId && (
        <section className="card stack-sm" aria-labelledby={`${id}-progress`}>
          <h2 id={`${id}-progress`}>{t('import.progress')}</h2>
          {operation.isError && <ErrorNotice error={operation.error} onRetry={() => void operation.refetch()} />}
          {op && (
            <>
              <ProgressBar value={percent} label={t('import.progress')} />
              <p role="status">
                {done
                  ? t('import.done', { succeeded: op.succeeded, failed: op.failed })
                  : t('import.running', { processed: op.processed, total: op.total })}
              </p>
              {done && op.errors.length > 0 && (
                <ErrorTable
                  caption={t('import.rowErrors')}
                  rows={op.errors.map((e) => {
                    const row = submittedRows[e.index];
                    const known = rowErrorMessages[e.code];
                    return {
                      line: row?.line ?? e.index + 2,
                      message: known ? t(known) : e.message,
                      detail: row ? `${row.op} ${row.email} → ${row.group} (${row.role}) · ${e.message}` : e.message,
                    };
                  })}
                />
              )}
            </>
          )}
        </section>
      )}
    </div>
  );
}

function ErrorTable({ caption, rows }: { caption: string; rows: { line: number; message: string; detail: string }[] }) {
  const t = useT();
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="table-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('import.line')}</th>
            <th scope="col">{t('import.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.line}-${i}`}>
              <th scope="row">{r.line}</th>
              <td>
                {r.message}
                {r.detail && <span className="muted small block">{r.detail}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
