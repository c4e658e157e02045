import { Link } from 'react-router-dom';
import { ProgressBar } from '@/components/ui/progress-bar';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { useT, type MessageKey } from '@/lib/i18n';
import { useMyPrograms, type MyProgram } from '../api/get-my-programs';

export const statusLabels: Record<MyProgram['status'], MessageKey> = {
  enrolled: 'programs.status.enrolled',
  in_progress: 'programs.status.in_progress',
  completed: 'programs.status.completed',
  withdrawn: 'programs.status.withdrawn',
};

export function MyProgramsSection() {
  const t = useT();
  const programs = useMyPrograms();
  // The API lists programs in progress first; finished ones stay reachable further down.
  const items = programs.data?.items.filter((p) => p.status !== 'withdrawn') ?? [];

  return (
    <section className="card" aria-labelledby="my-programs-heading">
      <h2 id="my-programs-heading">{t('programs.mine')}</h2>
      {programs.isPending && <Skeleton lines={2} />}
      {programs.isError && <ErrorNotice error={programs.error} onRetry={() => void programs.refetch()} />}
      {programs.isSuccess &&
        (items.length === 0 ? (
          <EmptyState title={t('programs.none')} />
        ) : (
          <ul className="item-list" aria-labelledby="my-programs-heading">
            {items.map(({ program, status, progress }) => (
              <li key={program.id} className="item">
                <div className="item-main">
                  <Link to={paths.program.getHref(program.id)} className="item-title">
                    {program.title}
                  </Link>
                  <span className="muted small">{t(statusLabels[status])}</span>
                </div>
                <ProgressBar value={progress} label={t('programs.progressOf', { title: program.title })} />
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
