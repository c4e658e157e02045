import { useQueries } from '@tanstack/react-query';
import { useId } from 'react';
import { Link } from 'react-router-dom';
import { DataTable, type Column } from '@/components/ui/data-table';
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

type Row = { id: string; name: string; href?: string; stats?: GroupStats; failed?: boolean };
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
  const rows: Row[] = subgroups.map((subgroup, i) => ({
    ...subgroup,
    href: paths.dashboard.getHref(subgroup.id),
    stats: results[i]?.data,
    failed: results[i]?.isError,
  }));
  const tableColumns: Column<Row>[] = [
    {
      id: 'group',
      header: t('dashboard.group'),
      rowHeader: true,
      cell: (row) => (row.href ? <Link to={row.href}>{row.name}</Link> : row.name),
    },
    // Each subgroup's figures arrive with its own request: until then its cells say so.
    ...columns.map(
      (c, i): Column<Row> => ({
        id: c.label,
        header: t(c.label),
        cell: (row) => {
          if (row.stats) return c.value(row.stats);
          if (i > 0) return null;
          return <span className="muted">{row.failed ? t('dashboard.statsUnavailable') : t('common.loading')}</span>;
        },
      }),
    ),
  ];

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <DataTable
        caption={title}
        columns={tableColumns}
        rows={rows}
        rowKey={(row) => row.id}
        empty={t('dashboard.noSubgroups')}
        footer={[{ id: group.id, name: t('dashboard.wholeGroup', { name: group.name }), stats }]}
      />
    </section>
  );
}
