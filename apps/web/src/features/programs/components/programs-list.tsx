import { Link } from 'react-router-dom';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { useT, type MessageKey } from '@/lib/i18n';
import { usePrograms } from '../api/get-programs';

export const programStatusLabels: Record<'draft' | 'published' | 'archived', MessageKey> = {
  draft: 'admin.status.draft',
  published: 'admin.status.published',
  archived: 'admin.status.archived',
};

export function ProgramsList() {
  const t = useT();
  const programs = usePrograms();
  return (
    <section className="card" aria-labelledby="programs-admin-heading">
      <div className="page-title-row">
        <h1 id="programs-admin-heading">{t('admin.programs')}</h1>
        <Link to={paths.admin.newProgram.getHref()} className="button button-primary">
          {t('admin.newProgram')}
        </Link>
      </div>
      {programs.isPending && <Skeleton lines={3} />}
      {programs.isError && <ErrorNotice error={programs.error} />}
      {programs.data && programs.data.items.length === 0 && <EmptyState title={t('admin.noPrograms')} />}
      {programs.data && programs.data.items.length > 0 && (
        <ul className="item-list" aria-labelledby="programs-admin-heading">
          {programs.data.items.map((p) => (
            <li key={p.id} className="item">
              <span className="item-main">
                <Link to={paths.admin.program.getHref(p.id)} className="item-title">
                  {p.title}
                </Link>
                <span className="muted small">
                  {t('admin.stepCount', { count: p.steps.length })}
                  {p.groups.length > 0 && ` · ${p.groups.map((g) => g.name).join(', ')}`}
                </span>
              </span>
              <span className="badge">{t(programStatusLabels[p.status])}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
