import { Avatar } from '@/components/ui/avatar';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { useGroupsObservers } from '../api/get-group-observers';
import { useMyGroups } from '../api/get-my-groups';

// One request per group: the home page looks at the first few groups only.
const MAX_GROUPS = 5;

/** "My team" on the home page: who follows the groups I learn in (their observers and those of the groups above). */
export function MyTeamSection() {
  const t = useT();
  const groups = useMyGroups();
  const learning = (groups.data?.items ?? []).filter((g) => g.roles.includes('learner')).slice(0, MAX_GROUPS);
  const observers = useGroupsObservers(learning.map((g) => g.id));

  // One person may observe several of my groups: list them once, with the groups they follow me in, and through
  // which group above it when they observe a parent ("Paris (via France)").
  const people = new Map<string, { firstName: string; lastName: string; groups: string[] }>();
  observers.forEach((result, i) => {
    const groupName = learning[i]?.name ?? '';
    for (const { user, via } of result.data?.items ?? []) {
      const entry = people.get(user.id) ?? { firstName: user.firstName, lastName: user.lastName, groups: [] };
      entry.groups.push(via ? t('groups.inVia', { group: groupName, via: via.name }) : groupName);
      people.set(user.id, entry);
    }
  });
  const pending = groups.isPending || observers.some((o) => o.isPending);
  const failed = groups.error ?? observers.find((o) => o.isError)?.error;

  return (
    <section className="card" aria-labelledby="my-team-heading">
      <h2 id="my-team-heading">{t('groups.myTeam')}</h2>
      {pending && <Skeleton lines={2} />}
      {!pending && failed && <ErrorNotice error={failed} />}
      {!pending &&
        !failed &&
        (people.size === 0 ? (
          <EmptyState title={t('groups.noMyTeam')} />
        ) : (
          <ul className="item-list" aria-labelledby="my-team-heading">
            {[...people].map(([userId, person]) => (
              <li key={userId} className="item">
                <Avatar firstName={person.firstName} lastName={person.lastName} size="sm" />
                <span className="item-main">
                  <span className="item-title">
                    {person.firstName} {person.lastName}
                  </span>
                  <span className="muted small">{person.groups.join(', ')}</span>
                </span>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
