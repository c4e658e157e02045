import { useId, useState } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { ErrorNotice } from '@/components/ui/query-state';
import { ProgressBar } from '@/components/ui/progress-bar';
import { SelectField } from '@/components/ui/select-field';
import { useI18n } from '@/lib/i18n';
import {
  exportLearnersCsv,
  useLearnerStats,
  type LearnerRow,
  type LearnerSegment,
  type LearnerSort,
  type LearnersFilter,
} from '../api/get-learner-stats';
import { programOptions, ReminderDialog, segmentLabels } from './reminder-dialog';

const segments: readonly LearnerSegment[] = ['inactive', 'not_started', 'behind'];
type Row = LearnerRow;
const sorts: readonly string[] = ['name', 'progress', 'lastLogin', 'lastActivity'] satisfies LearnerSort[];
const isSort = (column: string): column is LearnerSort => sorts.includes(column);
const fullName = (row: Row) => `${row.user.firstName} ${row.user.lastName}`;

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
  const toggle = (userId: string, name: string) =>
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(userId)) next.delete(userId);
      else next.set(userId, name);
      return next;
    });
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.user.id));
  const toggleAll = () => setSelected(allSelected ? new Map() : new Map(rows.map((r) => [r.user.id, fullName(r)])));

  const never = t('dashboard.never');
  const columns: Column<Row, 'select' | LearnerSort | 'groups' | 'programs'>[] = [
    {
      id: 'select',
      header: (
        <input type="checkbox" aria-label={t('dashboard.selectAll')} checked={allSelected} onChange={toggleAll} />
      ),
      cell: (row) => (
        <input
          type="checkbox"
          aria-label={t('dashboard.select', { name: fullName(row) })}
          checked={selected.has(row.user.id)}
          onChange={() => toggle(row.user.id, fullName(row))}
        />
      ),
    },
    {
      id: 'name',
      header: t('dashboard.learner'),
      sortable: true,
      rowHeader: true,
      cell: (row) => (
        <>
          {fullName(row)}
          <span className="muted small block phone-hidden">{row.user.email}</span>
        </>
      ),
    },
    {
      id: 'progress',
      header: t('dashboard.progress'),
      sortable: true,
      cell: (row) => (
        <ProgressBar
          value={Math.round(row.averageProgress)}
          label={t('dashboard.progressOf', { name: fullName(row) })}
        />
      ),
    },
    {
      id: 'lastLogin',
      header: t('dashboard.lastLogin'),
      sortable: true,
      phoneHidden: true,
      cell: (row) => (row.lastLoginAt ? formatDate(row.lastLoginAt) : never),
    },
    {
      id: 'lastActivity',
      header: t('dashboard.lastActivity'),
      sortable: true,
      phoneHidden: true,
      cell: (row) => (row.lastActivityAt ? formatDate(row.lastActivityAt) : never),
    },
    {
      id: 'groups',
      header: t('dashboard.groupCol'),
      phoneHidden: true,
      cell: (row) => row.groups.map((g) => g.name).join(', '),
    },
    {
      id: 'programs',
      header: t('dashboard.programsCol'),
      phoneHidden: true,
      cell: (row) => t('dashboard.completedOf', { completed: row.completed, total: row.programs }),
    },
  ];

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
          <SelectField
            id={`${id}-subgroup`}
            label={t('dashboard.subgroupFilter')}
            emptyLabel={t('dashboard.wholeGroup', { name: group.name })}
            options={subgroups.map((s) => ({ value: s.id, label: s.label }))}
            value={subgroupId}
            onChange={(e) => {
              setSubgroupId(e.target.value);
              setSelected(new Map());
            }}
          />
        )}
        <SelectField
          id={`${id}-segment`}
          label={t('dashboard.segment')}
          emptyLabel={t('dashboard.segment.all')}
          options={segments.map((s) => ({ value: s, label: t(segmentLabels[s]) }))}
          value={filter.segment ?? ''}
          onChange={(e) => update({ segment: (e.target.value || undefined) as LearnerSegment | undefined })}
        />
        <SelectField
          id={`${id}-program`}
          label={t('dashboard.program')}
          emptyLabel={t('dashboard.allPrograms')}
          options={programOptions(programs)}
          value={filter.programId ?? ''}
          onChange={(e) => update({ programId: e.target.value || undefined })}
        />
      </div>
      {needsProgram && <p className="muted small">{t('dashboard.segmentNeedsProgram')}</p>}
      {exportError !== null && <ErrorNotice error={exportError} />}
      <DataTable
        caption={t('dashboard.learners')}
        columns={columns}
        rows={learners.data ? rows : undefined}
        rowKey={(row) => row.user.id}
        empty={t('dashboard.noLearners')}
        error={learners.error}
        onRetry={() => void learners.refetch()}
        loadingLines={5}
        sort={{ column: filter.sort, direction: filter.order }}
        onSort={({ column, direction }) => isSort(column) && update({ sort: column, order: direction })}
      />
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
