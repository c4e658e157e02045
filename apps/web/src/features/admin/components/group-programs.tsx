import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { EmptyState, ErrorNotice } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { useT } from '@/lib/i18n';
import { useAssignProgram, usePrograms, useUnassignProgram, type AssignmentResult } from '../api/programs';

/** Assign programs to the group: a dry run first shows who will be enrolled, then the admin confirms. */
export function GroupPrograms({ groupId }: { groupId: string }) {
  const t = useT();
  const id = useId();
  const programs = usePrograms();
  const assign = useAssignProgram();
  const unassign = useUnassignProgram();
  const [programId, setProgramId] = useState('');
  const [preview, setPreview] = useState<AssignmentResult | null>(null);

  const all = programs.data?.items ?? [];
  const assigned = all.filter((p) => p.groups.some((g) => g.id === groupId));
  const available = all.filter((p) => !p.groups.some((g) => g.id === groupId) && p.status !== 'archived');

  const runPreview = async () => {
    if (!programId) return;
    setPreview(await assign.mutateAsync({ programId, groupId, dryRun: true }));
  };
  const confirm = async () => {
    if (!preview) return;
    await assign.mutateAsync({ programId: preview.programId, groupId, dryRun: false });
    setPreview(null);
    setProgramId('');
  };

  return (
    <section className="card" aria-labelledby="group-programs-heading">
      <h2 id="group-programs-heading">{t('admin.assignedPrograms')}</h2>
      {assigned.length === 0 ? (
        <EmptyState title={t('admin.noAssignedPrograms')} />
      ) : (
        <ul className="item-list" aria-labelledby="group-programs-heading">
          {assigned.map((p) => (
            <li key={p.id} className="item">
              <Link to={paths.admin.program.getHref(p.id)} className="item-main item-title">
                {p.title}
              </Link>
              <button
                type="button"
                className="link-button"
                disabled={unassign.isPending}
                onClick={() => unassign.mutate({ programId: p.id, groupId })}
              >
                {t('admin.unassign')}
                <span className="visually-hidden"> {p.title}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="field-row align-end">
        <div className="field grow">
          <label htmlFor={id}>{t('admin.assignProgram')}</label>
          <select
            id={id}
            value={programId}
            onChange={(e) => {
              setProgramId(e.target.value);
              setPreview(null);
            }}
          >
            <option value="">{t('admin.chooseProgram')}</option>
            {available.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button" disabled={!programId || assign.isPending} onClick={runPreview}>
          {t('admin.previewEnrollment')}
        </button>
      </div>
      {assign.isError && <ErrorNotice error={assign.error} />}
      {preview && (
        <div className="dry-run" role="region" aria-label={t('admin.dryRun')}>
          <p>
            <strong>{t('admin.wouldEnroll', { count: preview.enrolledCount })}</strong>
          </p>
          {preview.enrolled.length > 0 && (
            <ul className="compact-list">
              {preview.enrolled.slice(0, 50).map((u) => (
                <li key={u.id}>
                  {u.firstName} {u.lastName} <span className="muted small">{u.email}</span>
                </li>
              ))}
            </ul>
          )}
          <div className="button-row">
            <button type="button" className="button button-primary" disabled={assign.isPending} onClick={confirm}>
              {t('admin.confirmAssign')}
            </button>
            <button type="button" className="button" onClick={() => setPreview(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
