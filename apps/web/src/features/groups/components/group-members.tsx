import { Avatar } from '@/components/ui/avatar';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { useGroupMembers } from '../api/get-group-members';
import { useGroupObservers } from '../api/get-group-observers';

type Person = { user: { id: string; firstName: string; lastName: string }; note?: string | undefined };

function PeopleList({ people, labelledBy }: { people: Person[]; labelledBy: string }) {
  return (
    <ul className="item-list" aria-labelledby={labelledBy}>
      {people.map(({ user, note }) => (
        <li key={user.id} className="item">
          <Avatar firstName={user.firstName} lastName={user.lastName} size="sm" />
          <span className="item-main">
            <span className="item-title">
              {user.firstName} {user.lastName}
            </span>
            {note && <span className="muted small">{note}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * A group is made of members and a team. The team is everyone who follows the group: its observers, and the
 * observers of the groups above it, marked "via" that group.
 */
export function GroupMembers({ groupId }: { groupId: string }) {
  const t = useT();
  const observers = useGroupObservers(groupId);
  const members = useGroupMembers(groupId);
  const team: Person[] = (observers.data?.items ?? []).map(({ user, via }) => ({
    user,
    note: via ? t('groups.via', { group: via.name }) : undefined,
  }));
  const learners = (members.data?.items ?? []).filter((m) => m.roles.includes('learner'));

  return (
    <>
      <section className="card" aria-labelledby="team-heading">
        <h2 id="team-heading">{t('groups.team')}</h2>
        {observers.isPending && <Skeleton lines={1} />}
        {observers.isError && <ErrorNotice error={observers.error} />}
        {observers.isSuccess &&
          (team.length === 0 ? <EmptyState title={t('groups.noTeam')} /> : <PeopleList people={team} labelledBy="team-heading" />)}
      </section>
      <section className="card" aria-labelledby="members-heading">
        <h2 id="members-heading">
          {t('groups.members')} {members.isSuccess && <span className="muted">({learners.length})</span>}
        </h2>
        {members.isPending && <Skeleton lines={2} />}
        {members.isError && <ErrorNotice error={members.error} />}
        {members.isSuccess &&
          (learners.length === 0 ? (
            <EmptyState title={t('groups.noMembers')} />
          ) : (
            <PeopleList people={learners} labelledBy="members-heading" />
          ))}
      </section>
    </>
  );
}
