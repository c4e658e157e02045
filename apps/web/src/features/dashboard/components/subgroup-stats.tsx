import { useQueries } from '@tanstack/react-query';
import { useId } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useT, type MessageKey } from '@/lib/i18n';
import { getGroupStatsQueryOptions, type GroupStats } from '../api/get-group-stats';

const percent = (value: number) => `${Math.round(value)}%`;

const columns: { label: MessageKey; value: (s: GroupStats) => string }[] = [
  { label: 'dashboard.members', value: (s) => String(s.members) },
  { label: 'dashboard.active7d', value: (s) => String(s.active7d) },
  { label: 'dashboard.neverLoggedIn', value: (s) => String(s.neverLoggedIn) },
  { label: 'dashboard.completionRate', value: (s) => percent(s.completionRate * 100) },
  { label: 'dashboard.averageProgress', value: (s) => percent(s.averageProgress) },
];

type Props = { group: { id: string; name: string }; stats: GroupStats; subgroups: { id: string; name: string }[] };

/**
 * The direct subgroups' key figures side by side, one row each, with the whole group as the last row for reference.
 * Each subgroup's name drills down into its own dashboard. One stats request per subgroup, as for the group itself.
 */
export function SubgroupStats({ group, stats, subgroups }: Props) {
  const t = useT();
  const id = useId();
  const results = useQueries({ queries: subgroups.map((s) => getGroupStatsQueryOptions(s.id)) });
  const title = t('dashboard.subgroupsOf', { name: group.name });

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.group')}</th>
              {columns.map((c) => (
                <th key={c.label} scope="col">
                  {t(c.label)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {subgroups.map((subgroup, i) => {
              const result = results[i];
              return (
                <tr key={subgroup.id}>
                  <th scope="row">
                    <Link to={paths.dashboard.getHref(subgroup.id)}>{subgroup.name}</Link>
                  </th>
                  {result?.data ? (
                    columns.map((c) => <td key={c.label}>{c.value(result.data)}</td>)
                  ) : (
                    <td colSpan={columns.length} className="muted">
                      {result?.isError ? t('dashboard.statsUnavailable') : t('common.loading')}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('dashboard.wholeGroup', { name: group.name })}</th>
              {columns.map((c) => (
                <td key={c.label}>{c.value(stats)}</td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}
