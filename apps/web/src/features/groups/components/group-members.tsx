import type { Member } from '@covey/schema';
import { Avatar } from '@/components/ui/avatar';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { useGroupMembers } from '../api/get-group-members';

function PeopleList({ people, labelledBy }: { people: Member[]; labelledBy: string }) {
  return (
    <ul className="item-list" aria-labelledby={labelledBy}>
      {people.map(({ user }) => (
        <li key={user.id} className="item">
          <Avatar firstName={user.firstName} lastName={user.lastName} size="sm" />
          <span className="item-main">
            <span className="item-title">
              {user.firstName} {user.lastName}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A group is made of members and a team: the team is its observers (seed, section 4). */
export function GroupMembers({ groupId }: { groupId: string }) {
  const t = useT();
  const members = useGroupMembers(groupId);
  const all = members.data?.items ?? [];
  const team = all.filter((m) => m.roles.includes('observer'));
  const learners = all.filter((m) => m.roles.includes('learner'));

  return (
    <>
      <section className="card" aria-labelledby="team-heading">
        <h2 id="team-heading">{t('groups.team')}</h2>
        {members.isPending && <Skeleton lines={1} />}
        {members.isError && <ErrorNotice error={members.error} />}
        {members.isSuccess &&
          (team.length === 0 ? <EmptyState title={t('groups.noTeam')} /> : <PeopleList people={team} labelledBy="team-heading" />)}
      </section>
      <section className="card" aria-labelledby="members-heading">
        <h2 id="members-heading">
          {t('groups.members')} {members.isSuccess && <span className="muted">({learners.length})</span>}
        </h2>
        {members.isPending && <Skeleton lines={2} />}
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
