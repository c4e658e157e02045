import { useId, useState, type ChangeEvent } from 'react';
import { ProgressBar } from '@/components/ui/progress-bar';
import { ErrorNotice } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { useBulkOperation, useStartBulkMemberships } from '../api/bulk-memberships';
import { parseImport, rowErrorMessages, type Parsed, type Row } from '../utils/parse-import';

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
