import { useSearchParams } from 'react-router-dom';
import { NotFoundScreen } from '@/components/ui/not-found-screen';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { useDashboardGroups } from '../api/get-dashboard-groups';
import { useGroupStats } from '../api/get-group-stats';
import { descendantsOf, pathLabel, type DashboardGroup } from '../utils/group-tree';
import { DigestPreview } from './digest-preview';
import { GroupBreadcrumb, GroupPicker } from './group-picker';
import { LearnersTable } from './learners-table';
import { StatsCards } from './stats-cards';
import { StatsCharts } from './stats-charts';
import { SubgroupStats } from './subgroup-stats';

function GroupDashboard({ group, tree }: { group: DashboardGroup; tree: DashboardGroup[] }) {
  const stats = useGroupStats(group.id);
  if (stats.isPending) return <Skeleton lines={6} />;
  if (stats.isError) return <ErrorNotice error={stats.error} onRetry={() => void stats.refetch()} />;
  const programs = stats.data.programs.map(({ programId, title }) => ({ programId, title }));
  const children = tree.filter((g) => g.parentId === group.id);
  const subgroups = descendantsOf(tree, group.id).map((g) => ({ id: g.id, label: pathLabel(g, group.id) }));
  return (
    <>
      <StatsCards stats={stats.data} />
      {children.length > 0 && <SubgroupStats group={group} stats={stats.data} subgroups={children} />}
      <StatsCharts stats={stats.data} />
      {/* Remount on group change so the filters and selection start afresh. */}
      <LearnersTable key={group.id} group={group} subgroups={subgroups} programs={programs} />
    </>
  );
}

/** The observer dashboard: the groups I follow and their subgroups, their numbers, their learners, the follow-up. */
export function DashboardPage() {
  const t = useT();
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
        {current && (
          <GroupPicker
            groups={groups.data}
            current={current}
            onChange={(groupId) => setParams({ group: groupId }, { replace: true })}
          />
        )}
      </div>
      {current && <GroupBreadcrumb current={current} />}
      {current ? <GroupDashboard group={current} tree={groups.data} /> : <EmptyState title={t('dashboard.noGroups')} />}
      <DigestPreview />
    </div>
  );
}
