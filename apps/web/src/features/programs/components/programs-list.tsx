import { Link } from 'react-router-dom';
import { ListCard } from '@/components/ui/list-card';
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
    <ListCard
      title={t('admin.programs')}
      create={{ href: paths.admin.newProgram.getHref(), label: t('admin.newProgram') }}
      query={programs}
      emptyTitle={t('admin.noPrograms')}
    >
      {(items, headingId) => (
        <ul className="item-list" aria-labelledby={headingId}>
          {items.map((p) => (
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
    </ListCard>
  );
}
