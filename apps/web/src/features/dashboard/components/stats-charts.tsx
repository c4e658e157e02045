import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useId } from 'react';
import { Bar, Line } from 'react-chartjs-2';
import { DataTable, type Column } from '@/components/ui/data-table';
import { useI18n } from '@/lib/i18n';
import type { GroupStats } from '../api/get-group-stats';

// Only the pieces these two charts draw, so the dashboard chunk stays small; this module loads with the route.
ChartJS.register(CategoryScale, LinearScale, BarElement, LineElement, PointElement, Tooltip, Legend);

const colors = { primary: '#1d4ed8', accent: '#b45309', muted: '#94a3b8' };

/** Weekly activity (12 weeks) and completion by program; each chart has its numbers in a table for screen readers. */
export function StatsCharts({ stats }: { stats: GroupStats }) {
  const { t, locale } = useI18n();
  const id = useId();
  const weekFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  const weeks = stats.weekly.map((w) => weekFormat.format(new Date(`${w.weekStart}T00:00:00`)));
  const activityLabel = t('dashboard.activityChart');
  const completionLabel = t('dashboard.completionChart');
  const weekColumns: Column<GroupStats['weekly'][number] & { label: string }>[] = [
    { id: 'week', header: t('dashboard.week'), rowHeader: true, cell: (w) => w.label },
    { id: 'active', header: t('dashboard.activeLearners'), cell: (w) => w.activeLearners },
    { id: 'completions', header: t('dashboard.completions'), cell: (w) => w.completions },
  ];
  const programColumns: Column<GroupStats['programs'][number]>[] = [
    { id: 'program', header: t('dashboard.program'), rowHeader: true, cell: (p) => p.title },
    { id: 'enrolled', header: t('dashboard.enrolled'), cell: (p) => p.enrolled },
    { id: 'notStarted', header: t('dashboard.notStarted'), cell: (p) => p.notStarted },
    { id: 'inProgress', header: t('dashboard.inProgress'), cell: (p) => p.inProgress },
    { id: 'completed', header: t('dashboard.completedCol'), cell: (p) => p.completed },
    { id: 'behind', header: t('dashboard.behindCol'), cell: (p) => p.behind },
    { id: 'rate', header: t('dashboard.completionRate'), cell: (p) => `${Math.round(p.completionRate * 100)}%` },
  ];

  return (
    <div className="grid">
      <section className="card" aria-labelledby={`${id}-activity`}>
        <h2 id={`${id}-activity`}>{activityLabel}</h2>
        <div className="chart-box">
          <Line
            role="img"
            aria-label={t('dashboard.activityChartAlt')}
            data={{
              labels: weeks,
              datasets: [
                {
                  label: t('dashboard.activeLearners'),
                  data: stats.weekly.map((w) => w.activeLearners),
                  borderColor: colors.primary,
                  backgroundColor: colors.primary,
                  tension: 0.3,
                },
                {
                  label: t('dashboard.completions'),
                  data: stats.weekly.map((w) => w.completions),
                  borderColor: colors.accent,
                  backgroundColor: colors.accent,
                  tension: 0.3,
                },
              ],
            }}
            options={{
              animation: false,
              maintainAspectRatio: false,
              scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
            }}
          />
        </div>
        <details>
          <summary>{t('dashboard.showTable')}</summary>
          <DataTable
            caption={activityLabel}
            columns={weekColumns}
            rows={stats.weekly.map((w, i) => ({ ...w, label: weeks[i] ?? w.weekStart }))}
            rowKey={(w) => w.weekStart}
            empty={t('me.noActivity')}
          />
        </details>
      </section>

      <section className="card" aria-labelledby={`${id}-completion`}>
        <h2 id={`${id}-completion`}>{completionLabel}</h2>
        {stats.programs.length === 0 ? (
          <p className="muted">{t('dashboard.noPrograms')}</p>
        ) : (
          <>
            <div className="chart-box">
              <Bar
                role="img"
                aria-label={t('dashboard.completionChartAlt')}
                data={{
                  labels: stats.programs.map((p) => p.title),
                  datasets: [
                    {
                      label: t('dashboard.completionRate'),
                      data: stats.programs.map((p) => Math.round(p.completionRate * 100)),
                      backgroundColor: colors.primary,
                    },
                    {
                      label: t('dashboard.averageProgress'),
                      data: stats.programs.map((p) => Math.round(p.averageProgress)),
                      backgroundColor: colors.muted,
                    },
                  ],
                }}
                options={{
                  animation: false,
                  maintainAspectRatio: false,
                  indexAxis: 'y',
                  scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } },
                }}
              />
            </div>
            <details>
              <summary>{t('dashboard.showTable')}</summary>
              <DataTable
                caption={completionLabel}
                columns={programColumns}
                rows={stats.programs}
                rowKey={(p) => p.programId}
                empty={t('dashboard.noPrograms')}
              />
            </details>
          </>
        )}
      </section>
    </div>
  );
}
