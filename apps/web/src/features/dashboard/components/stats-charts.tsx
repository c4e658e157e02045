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
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">{activityLabel}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.week')}</th>
                  <th scope="col">{t('dashboard.activeLearners')}</th>
                  <th scope="col">{t('dashboard.completions')}</th>
                </tr>
              </thead>
              <tbody>
                {stats.weekly.map((w, i) => (
                  <tr key={w.weekStart}>
                    <th scope="row">{weeks[i]}</th>
                    <td>{w.activeLearners}</td>
                    <td>{w.completions}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
              <div className="table-scroll">
                <table className="table">
                  <caption className="visually-hidden">{completionLabel}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('dashboard.program')}</th>
                      <th scope="col">{t('dashboard.enrolled')}</th>
                      <th scope="col">{t('dashboard.notStarted')}</th>
                      <th scope="col">{t('dashboard.inProgress')}</th>
                      <th scope="col">{t('dashboard.completedCol')}</th>
                      <th scope="col">{t('dashboard.behindCol')}</th>
                      <th scope="col">{t('dashboard.completionRate')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {stats.programs.map((p) => (
                      <tr key={p.programId}>
                        <th scope="row">{p.title}</th>
                        <td>{p.enrolled}</td>
                        <td>{p.notStarted}</td>
                        <td>{p.inProgress}</td>
                        <td>{p.completed}</td>
                        <td>{p.behind}</td>
                        <td>{Math.round(p.completionRate * 100)}%</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </>
        )}
      </section>
    </div>
  );
}
