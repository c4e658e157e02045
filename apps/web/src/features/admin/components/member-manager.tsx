import type { GroupRole, Member } from '@covey/schema';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useT, type MessageKey } from '@/lib/i18n';
import { useMembers, useSetMemberRoles } from '../api/groups';
import { UserPicker } from './user-picker';

// A local list: importing values from @covey/schema would pull zod into the bundle.
const groupRoles: readonly GroupRole[] = ['learner', 'observer', 'admin'];

const roleLabels: Record<GroupRole, MessageKey> = {
  learner: 'admin.role.learner',
  observer: 'admin.role.observer',
  admin: 'admin.role.admin',
};

export function MemberManager({ groupId }: { groupId: string }) {
  const t = useT();
  const members = useMembers(groupId);
  const setRoles = useSetMemberRoles(groupId);
  const byId = new Map((members.data?.items ?? []).map((m) => [m.user.id, m]));

  const toggle = (member: Member, role: GroupRole, on: boolean) => {
    const roles = on ? [...new Set([...member.roles, role])] : member.roles.filter((r) => r !== role);
    setRoles.mutate({ userId: member.user.id, roles });
  };
  const add = (userId: string, role: GroupRole) => {
    const existing = byId.get(userId)?.roles ?? [];
    setRoles.mutate({ userId, roles: [...new Set([...existing, role])] });
  };

  return (
    <section className="card" aria-labelledby="members-admin-heading">
      <h2 id="members-admin-heading">{t('admin.membersAndTeam')}</h2>
      <UserPicker
        label={t('admin.findPeople')}
        actions={(user) => (
          <>
            <button type="button" className="button" onClick={() => add(user.id, 'learner')}>
              {t('admin.addMember')}
              <span className="visually-hidden"> {user.email}</span>
            </button>
            <button type="button" className="button" onClick={() => add(user.id, 'observer')}>
              {t('admin.addObserver')}
              <span className="visually-hidden"> {user.email}</span>
            </button>
          </>
        )}
      />
      {setRoles.isError && <ErrorNotice error={setRoles.error} />}
      {members.isPending && <Skeleton lines={2} />}
      {members.data && members.data.items.length === 0 && <EmptyState title={t('groups.noMembers')} />}
      {members.data && members.data.items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">{t('admin.membersAndTeam')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.person')}</th>
              {groupRoles.map((role) => (
                <th scope="col" key={role}>
                  {t(roleLabels[role])}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {members.data.items.map((member) => (
              <tr key={member.user.id}>
                <th scope="row">
                  {member.user.firstName} {member.user.lastName}
                  <span className="muted small block">{member.user.email}</span>
                </th>
                {groupRoles.map((role) => (
                  <td key={role}>
                    <input
                      type="checkbox"
                      checked={member.roles.includes(role)}
                      disabled={setRoles.isPending}
                      onChange={(e) => toggle(member, role, e.target.checked)}
                      aria-label={`${t(roleLabels[role])}: ${member.user.firstName} ${member.user.lastName}`}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
