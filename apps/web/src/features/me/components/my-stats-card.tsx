import { useId } from 'react';
import { ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useI18n } from '@/lib/i18n';
import { useMyStats } from '../api/get-my-stats';

/** "My stats" on the learner's home: programs, steps done, streak and last activity. */
export function MyStatsCard() {
  const { t, formatDate } = useI18n();
  const id = useId();
  const stats = useMyStats();
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('me.stats')}</h2>
      {stats.isPending && <Skeleton lines={3} />}
      {stats.isError && <ErrorNotice error={stats.error} onRetry={() => void stats.refetch()} />}
      {stats.data && (
        <dl className="mini-stats">
          <div>
            <dt className="muted small">{t('me.inProgress')}</dt>
            <dd className="stat-value">{stats.data.programs.inProgress}</dd>
          </div>
          <div>
            <dt className="muted small">{t('me.completed')}</dt>
            <dd className="stat-value">{stats.data.programs.completed}</dd>
          </div>
          <div>
            <dt className="muted small">{t('me.stepsDone')}</dt>
            <dd className="stat-value">{stats.data.stepsDone}</dd>
          </div>
          <div>
            <dt className="muted small">{t('me.streak')}</dt>
            <dd className="stat-value">{t('me.weeks', { count: stats.data.activeWeeksStreak })}</dd>
          </div>
          <div className="mini-stats-wide">
            <dt className="muted small">{t('me.lastActivity')}</dt>
            <dd>{stats.data.lastActivityAt ? formatDate(stats.data.lastActivityAt) : t('me.noActivity')}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
