import { useId, useState } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { ProgressBar } from '@/components/ui/progress-bar';
import { useI18n, type MessageKey } from '@/lib/i18n';
import {
  exportLearnersCsv,
  useLearnerStats,
  type LearnerSegment,
  type LearnerSort,
  type LearnersFilter,
} from '../api/get-learner-stats';
import { ReminderDialog, segmentLabels } from './reminder-dialog';

const segments: readonly LearnerSegment[] = ['inactive', 'not_started', 'behind'];
const sortColumns: { sort: LearnerSort; label: MessageKey }[] = [
  { sort: 'name', label: 'dashboard.learner' },
  { sort: 'progress', label: 'dashboard.progress' },
  { sort: 'lastLogin', label: 'dashboard.lastLogin' },
  { sort: 'lastActivity', label: 'dashboard.lastActivity' },
];

type Props = {
  group: { id: string; name: string };
  /** Every group under `group`, labelled by its path from there ("Paris", "Paris › Marais"). */
  subgroups: { id: string; label: string }[];
  programs: { programId: string; title: string }[];
};

/**
 * The individual follow-up: every learner of the group, filtered by subgroup and segment, sortable, exportable,
 * remindable. A subgroup filter reads that subgroup's own list, so the export and reminders follow it too.
 */
export function LearnersTable({ group, subgroups, programs }: Props) {
  const { t, formatDate } = useI18n();
  const id = useId();
  const [filter, setFilter] = useState<LearnersFilter>({ sort: 'name', order: 'asc' });
  const [subgroupId, setSubgroupId] = useState('');
  const groupId = subgroupId || group.id;
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [dialogOpen, setDialogOpen] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const learners = useLearnerStats(groupId, filter);
  const rows = learners.data?.pages.flatMap((p) => p.items) ?? [];

  const update = (patch: Partial<LearnersFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setSelected(new Map());
  };
  const toggleSort = (sort: LearnerSort) =>
    update({ sort, order: filter.sort === sort && filter.order === 'asc' ? 'desc' : 'asc' });
  const toggle = (userId: string, name: string) =>
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(userId)) next.delete(userId);
      else next.set(userId, name);
      return next;
    });
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.user.id));
  const toggleAll = () =>
    setSelected(allSelected ? new Map() : new Map(rows.map((r) => [r.user.id, `${r.user.firstName} ${r.user.lastName}`])));

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      await exportLearnersCsv(groupId, filter);
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  };

  const needsProgram = (filter.segment === 'behind' || filter.segment === 'not_started') && !filter.programId;

  return (
    <section className="card stack-sm" aria-labelledby={`${id}-heading`}>
      <div className="page-title-row">
        <h2 id={`${id}-heading`}>{t('dashboard.learners')}</h2>
        <div className="button-row">
          <button type="button" className="button" onClick={() => void exportCsv()} disabled={exporting}>
            {t('dashboard.exportCsv')}
          </button>
          <button type="button" className="button button-primary" onClick={() => setDialogOpen(true)}>
            {t('dashboard.followUp')}
          </button>
        </div>
      </div>
      <div className="field-row">
        {subgroups.length > 0 && (
          <div className="field">
            <label htmlFor={`${id}-subgroup`}>{t('dashboard.subgroupFilter')}</label>
            <select
              id={`${id}-subgroup`}
              value={subgroupId}
              onChange={(e) => {
                setSubgroupId(e.target.value);
                setSelected(new Map());
              }}
            >
              <option value="">{t('dashboard.wholeGroup', { name: group.name })}</option>
              {subgroups.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-segment`}>{t('dashboard.segment')}</label>
          <select
            id={`${id}-segment`}
            value={filter.segment ?? ''}
            onChange={(e) => update({ segment: (e.target.value || undefined) as LearnerSegment | undefined })}
          >
            <option value="">{t('dashboard.segment.all')}</option>
            {segments.map((s) => (
              <option key={s} value={s}>
                {t(segmentLabels[s])}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-program`}>{t('dashboard.program')}</label>
          <select
            id={`${id}-program`}
            value={filter.programId ?? ''}
            onChange={(e) => update({ programId: e.target.value || undefined })}
          >
            <option value="">{t('dashboard.allPrograms')}</option>
            {programs.map((p) => (
              <option key={p.programId} value={p.programId}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
      </div>
      {needsProgram && <p className="muted small">{t('dashboard.segmentNeedsProgram')}</p>}
      {exportError !== null && <ErrorNotice error={exportError} />}
      {learners.isPending && <Skeleton lines={5} />}
      {learners.isError && <ErrorNotice error={learners.error} onRetry={() => void learners.refetch()} />}
      {learners.isSuccess && rows.length === 0 && <EmptyState title={t('dashboard.noLearners')} />}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="table" aria-labelledby={`${id}-heading`}>
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label={t('dashboard.selectAll')}
                    checked={allSelected}
                    onChange={toggleAll}
                  />
                </th>
                {sortColumns.map((c) => {
                  const active = filter.sort === c.sort;
                  return (
                    <th
                      key={c.sort}
                      scope="col"
                      aria-sort={active ? (filter.order === 'asc' ? 'ascending' : 'descending') : undefined}
                    >
                      <button type="button" className="sort-button" onClick={() => toggleSort(c.sort)}>
                        {t(c.label)}
                        <span aria-hidden="true">{active ? (filter.order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                      </button>
                    </th>
                  );
                })}
                <th scope="col">{t('dashboard.groupCol')}</th>
                <th scope="col">{t('dashboard.programsCol')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const name = `${row.user.firstName} ${row.user.lastName}`;
                return (
                  <tr key={row.user.id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={t('dashboard.select', { name })}
                        checked={selected.has(row.user.id)}
                        onChange={() => toggle(row.user.id, name)}
                      />
                    </td>
                    <th scope="row">
                      {name}
                      <span className="muted small block">{row.user.email}</span>
                    </th>
                    <td>
                      <ProgressBar value={Math.round(row.averageProgress)} label={t('dashboard.progressOf', { name })} />
                    </td>
                    <td>{row.lastLoginAt ? formatDate(row.lastLoginAt) : t('dashboard.never')}</td>
                    <td>{row.lastActivityAt ? formatDate(row.lastActivityAt) : t('dashboard.never')}</td>
                    <td>{row.groups.map((g) => g.name).join(', ')}</td>
                    <td>{t('dashboard.completedOf', { completed: row.completed, total: row.programs })}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small" role="status">
        {selected.size > 0 ? t('dashboard.selectedCount', { count: selected.size }) : ''}
      </p>
      {learners.hasNextPage && (
        <button
          type="button"
          className="button load-more"
          onClick={() => void learners.fetchNextPage()}
          disabled={learners.isFetchingNextPage}
        >
          {t('posts.loadMore')}
        </button>
      )}
      {dialogOpen && (
        <ReminderDialog
          open={dialogOpen}
          onClose={() => setDialogOpen(false)}
          groupId={groupId}
          programs={programs}
          segment={filter.segment}
          programId={filter.programId}
          selected={[...selected].map(([userId, name]) => ({ id: userId, name }))}
        />
      )}
    </section>
  );
}
