import { Link } from 'react-router-dom';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { useT } from '@/lib/i18n';
import { useGroupPrograms } from '../api/get-group-programs';

/** The programs of a group space: its own, then those it inherits from a parent group (named). */
export function GroupProgramsSection({ groupId }: { groupId: string }) {
  const t = useT();
  const programs = useGroupPrograms(groupId);
  // In the API's order: the group's own programs first. Drafts only reach the group's managers.
  const items = programs.data?.items ?? [];

  return (
    <section className="card" aria-labelledby="group-programs-heading">
      <h2 id="group-programs-heading">{t('groups.programs')}</h2>
      {programs.isPending && <Skeleton lines={2} />}
      {programs.isError && <ErrorNotice error={programs.error} onRetry={() => void programs.refetch()} />}
      {programs.isSuccess &&
        (items.length === 0 ? (
          <EmptyState title={t('groups.noPrograms')} />
        ) : (
          <ul className="item-list" aria-labelledby="group-programs-heading">
            {items.map(({ program, via }) => (
              <li key={program.id} className="item">
                <span className="item-main">
                  <Link to={paths.program.getHref(program.id)} className="item-title">
                    {program.title}
                  </Link>
                  {via && <span className="muted small">{t('groups.inheritedFrom', { group: via.name })}</span>}
                  {program.status !== 'published' && (
                    <span className="muted small">{t(`groups.programStatus.${program.status}`)}</span>
                  )}
                </span>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
