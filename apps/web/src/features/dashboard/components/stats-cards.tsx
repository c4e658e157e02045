import { useT, type MessageKey } from '@/lib/i18n';
import type { GroupStats } from '../api/get-group-stats';

const percent = (value: number) => `${Math.round(value)}%`;

/** The group's headline numbers, as a description list so each figure is read with its label. */
export function StatsCards({ stats }: { stats: GroupStats }) {
  const t = useT();
  const cards: { key: MessageKey; value: string; hint?: string }[] = [
    { key: 'dashboard.members', value: String(stats.members) },
    { key: 'dashboard.active7d', value: String(stats.active7d), hint: t('dashboard.ofMembers', { count: stats.members }) },
    { key: 'dashboard.active30d', value: String(stats.active30d), hint: t('dashboard.ofMembers', { count: stats.members }) },
    { key: 'dashboard.neverLoggedIn', value: String(stats.neverLoggedIn) },
    {
      key: 'dashboard.completionRate',
      value: percent(stats.completionRate * 100),
      hint: t('dashboard.completedOf', { completed: stats.completed, total: stats.enrollments }),
    },
    { key: 'dashboard.averageProgress', value: percent(stats.averageProgress) },
  ];
  return (
    <dl className="stat-grid">
      {cards.map((card) => (
        <div key={card.key} className="card stat-card">
          <dt className="muted small">{t(card.key)}</dt>
          <dd className="stat-value">{card.value}</dd>
          {card.hint && <dd className="muted small">{card.hint}</dd>}
        </div>
      ))}
    </dl>
  );
}
