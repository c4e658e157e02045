import { useId } from 'react';
import { useSearchParams } from 'react-router-dom';
import { NotFoundScreen } from '@/components/ui/not-found-screen';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { useDashboardGroups } from '../api/get-dashboard-groups';
import { useGroupStats } from '../api/get-group-stats';
import { DigestPreview } from './digest-preview';
import { LearnersTable } from './learners-table';
import { StatsCards } from './stats-cards';
import { StatsCharts } from './stats-charts';

function GroupDashboard({ groupId }: { groupId: string }) {
  const stats = useGroupStats(groupId);
  if (stats.isPending) return <Skeleton lines={6} />;
  if (stats.isError) return <ErrorNotice error={stats.error} onRetry={() => void stats.refetch()} />;
  const programs = stats.data.programs.map(({ programId, title }) => ({ programId, title }));
  return (
    <>
      <StatsCards stats={stats.data} />
      <StatsCharts stats={stats.data} />
      {/* Remount on group change so the filters and selection start afresh. */}
      <LearnersTable key={groupId} groupId={groupId} programs={programs} />
    </>
  );
}

/** The observer dashboard: the groups I follow, their numbers, their learners and the follow-up actions. */
export function DashboardPage() {
  const t = useT();
  const id = useId();
  const groups = useDashboardGroups();
  const [params, setParams] = useSearchParams();

  if (groups.isPending) return <Skeleton lines={6} />;
  if (groups.isError) return <ErrorNotice error={groups.error} onRetry={() => void groups.refetch()} />;
  if (groups.data.length === 0) return <NotFoundScreen />;

  const requested = params.get('group');
  const current = groups.data.find((g) => g.id === requested) ?? groups.data[0];

  return (
    <div className="stack">
      <div className="page-title-row">
        <h1>{t('dashboard.title')}</h1>
        <div className="field narrow-field">
          <label htmlFor={`${id}-group`}>{t('dashboard.group')}</label>
          <select
            id={`${id}-group`}
            value={current?.id ?? ''}
            onChange={(e) => setParams({ group: e.target.value }, { replace: true })}
          >
            {groups.data.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {current ? <GroupDashboard groupId={current.id} /> : <EmptyState title={t('dashboard.noGroups')} />}
      <DigestPreview />
    </div>
  );
}
