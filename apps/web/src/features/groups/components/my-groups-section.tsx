import { Link } from 'react-router-dom';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { useT } from '@/lib/i18n';
import { useMyGroups } from '../api/get-my-groups';

/** "My groups" on the home page, and the group switcher in a group space (`currentGroupId` set). */
export function MyGroupsSection({ currentGroupId }: { currentGroupId?: string }) {
  const t = useT();
  const groups = useMyGroups();
  const heading = currentGroupId ? t('groups.switcher') : t('groups.mine');
  const headingId = currentGroupId ? 'group-switcher-heading' : 'my-groups-heading';
  const items = (groups.data?.items ?? []).filter((g) => g.id !== currentGroupId);

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      {groups.isPending && <Skeleton lines={2} />}
      {groups.isError && <ErrorNotice error={groups.error} onRetry={() => void groups.refetch()} />}
      {groups.isSuccess &&
        (items.length === 0 ? (
          <EmptyState title={currentGroupId ? t('groups.noOther') : t('groups.none')} />
        ) : (
          <ul className="item-list tile-list" aria-labelledby={headingId}>
            {items.map((group) => (
              <li key={group.id} className="item">
                <Link
                  to={paths.group.getHref(group.id)}
                  className="group-tile"
                  style={group.colors.primary ? { borderLeftColor: group.colors.primary } : undefined}
                >
                  {group.logoUrl ? (
                    <img src={group.logoUrl} alt="" className="group-tile-logo" />
                  ) : (
                    <span className="group-tile-logo group-tile-initial" aria-hidden="true">
                      {group.name.charAt(0).toUpperCase()}
                    </span>
                  )}
                  <span className="item-main">
                    <span className="item-title">{group.name}</span>
                    {group.description && <span className="muted small">{group.description}</span>}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
