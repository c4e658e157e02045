import type { Group } from '@covey/schema';
import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { RowAction } from '@/components/ui/row-action';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { useT } from '@/lib/i18n';
import { usePlural } from '@/lib/i18n/plural';
import { useGroupPrograms, type GroupProgram } from '../api/get-group-programs';
import {
  previewUnassignment,
  useAssignProgram,
  useUnassignProgram,
  type AssignmentResult,
  type UnassignmentPreview,
} from '../api/assign-program';
import { usePrograms } from '../api/get-programs';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';

type Props = { group: Group; workspaceAdmin: boolean };

/**
 * The programs reaching the group: its own assignments (which can be withdrawn) and those inherited from an
 * ancestor. Assigning shows who would be enrolled (a dry run) before the admin confirms. Group admins pick among
 * published programs only.
 */
export function GroupPrograms({ group, workspaceAdmin }: Props) {
  const t = useT();
  const plural = usePlural();
  const id = useId();
  const groupId = group.id;
  const reaching = useGroupPrograms(groupId);
  const catalogue = usePrograms(workspaceAdmin ? undefined : 'published');
  const assign = useAssignProgram();
  const unassign = useUnassignProgram();
  const [programId, setProgramId] = useState('');
  const [preview, setPreview] = useState<AssignmentResult | null>(null);
  const [unassigning, setUnassigning] = useState<GroupProgram['program'] | null>(null);

  const items = reaching.data?.items ?? [];
  const reached = new Set(items.map((i) => i.program.id));
  const available = (catalogue.data?.items ?? []).filter((p) => !reached.has(p.id) && p.status !== 'archived');

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
      {reaching.isPending && <Skeleton lines={2} />}
      {reaching.isError && <ErrorNotice error={reaching.error} onRetry={() => void reaching.refetch()} />}
      {reaching.data && items.length === 0 && <EmptyState title={t('admin.noAssignedPrograms')} />}
      {items.length > 0 && (
        <ul className="item-list" aria-labelledby="group-programs-heading">
          {items.map(({ program, via }) => (
            <li key={program.id} className="item">
              <span className="item-main">
                {workspaceAdmin ? (
                  <Link to={paths.admin.program.getHref(program.id)} className="item-title">
                    {program.title}
                  </Link>
                ) : (
                  <span className="item-title">{program.title}</span>
                )}
                {via && <span className="muted small">{t('admin.programs.inherited', { name: via.name })}</span>}
              </span>
              {program.status !== 'published' && <span className="badge">{t(`admin.status.${program.status}`)}</span>}
              {!via && (
                <RowAction subject={program.title} className="link-button danger-link" onClick={() => setUnassigning(program)}>
                  {t('admin.unassign')}
                </RowAction>
              )}
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
      {catalogue.isError && <ErrorNotice error={catalogue.error} />}
      {assign.isError && <ErrorNotice error={assign.error} />}
      {preview && (
        <div className="dry-run" role="region" aria-label={t('admin.dryRun')}>
          <p>
            <strong>{plural('admin.wouldEnroll', preview.enrolledCount)}</strong>
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
      {unassigning && (
        <ConfirmDialog<UnassignmentPreview>
          title={t('admin.unassignProgram.title', { title: unassigning.title })}
          preview={() => previewUnassignment({ programId: unassigning.id, groupId })}
          consequence={(p) => (
            <>
              <p>{t('admin.unassignProgram.leaves', { title: unassigning.title, group: group.name })}</p>
              <p>{plural('admin.willWithdraw', p.withdrawnCount)}</p>
            </>
          )}
          confirmLabel={t('admin.unassign')}
          confirm={() => unassign.mutateAsync({ programId: unassigning.id, groupId })}
          result={(p) => plural('admin.unassignProgram.done', p.withdrawnCount, { title: unassigning.title })}
          onClose={() => setUnassigning(null)}
        />
      )}
    </section>
  );
}
