import type { Group, GroupRole, Member } from '@covey/schema';
import { useState } from 'react';
import { RowAction } from '@/components/ui/row-action';
import { DataTable, type Column } from '@/components/ui/data-table';
import { ErrorNotice } from '@/components/ui/query-state';
import { useT, type MessageKey } from '@/lib/i18n';
import { useGroupMembers } from '../api/get-group-members';
import { useSetMemberRoles } from '../api/set-member-roles';
import { AddMemberForm } from './add-member-form';
import { RemoveMemberDialog } from './remove-member-dialog';
import { UserPicker } from '@/components/user-picker';

// A local list: importing values from @covey/schema would pull zod into the bundle.
const groupRoles: readonly GroupRole[] = ['learner', 'observer', 'admin'];

const roleLabels: Record<GroupRole, MessageKey> = {
  learner: 'admin.role.learner',
  observer: 'admin.role.observer',
  admin: 'admin.role.admin',
};

const fullName = (member: Member) => `${member.user.firstName} ${member.user.lastName}`;

/**
 * Members, observers and group admins. Workspace admins search everyone; group admins, who may not list people
 * outside their groups, add someone by exact e-mail or external id. Removing someone goes through a confirmation.
 */
export function MemberManager({ group, canSearchPeople }: { group: Group; canSearchPeople: boolean }) {
  const t = useT();
  const groupId = group.id;
  const members = useGroupMembers(groupId);
  const setRoles = useSetMemberRoles(groupId);
  // Held here, not in the row: the row goes away with the person, the report of what was done must not.
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const byId = new Map((members.data?.items ?? []).map((m) => [m.user.id, m]));

  const toggle = (member: Member, role: GroupRole, on: boolean) => {
    const roles = on ? [...new Set([...member.roles, role])] : member.roles.filter((r) => r !== role);
    // Taking the last role away removes the person: say what that does first.
    if (roles.length === 0) setRemoving({ id: member.user.id, name: fullName(member) });
    else setRoles.mutate({ userId: member.user.id, roles });
  };
  const add = (userId: string, role: GroupRole) => {
    const existing = byId.get(userId)?.roles ?? [];
    setRoles.mutate({ userId, roles: [...new Set([...existing, role])] });
  };

  const columns: Column<Member>[] = [
    {
      id: 'person',
      header: t('admin.person'),
      rowHeader: true,
      cell: (member) => (
        <>
          {fullName(member)}
          <span className="muted small block">{member.user.email}</span>
        </>
      ),
    },
    ...groupRoles.map((role): Column<Member> => ({
      id: role,
      header: t(roleLabels[role]),
      cell: (member) => (
        <input
          type="checkbox"
          checked={member.roles.includes(role)}
          disabled={setRoles.isPending}
          onChange={(e) => toggle(member, role, e.target.checked)}
          aria-label={`${t(roleLabels[role])}: ${fullName(member)}`}
        />
      ),
    })),
    {
      id: 'actions',
      header: t('admin.actions'),
      hideHeader: true,
      cell: (member) => (
        <RowAction
          subject={fullName(member)}
          className="link-button danger-link"
          onClick={() => setRemoving({ id: member.user.id, name: fullName(member) })}
        >
          {t('admin.removeMember.open')}
        </RowAction>
      ),
    },
  ];

  return (
    <section className="card" aria-labelledby="members-admin-heading">
      <h2 id="members-admin-heading">{t('admin.membersAndTeam')}</h2>
      {canSearchPeople ? (
        <UserPicker
          label={t('admin.findPeople')}
          actions={(user) => (
            <>
              <RowAction subject={user.email} className="button" onClick={() => add(user.id, 'learner')}>
                {t('admin.addMember')}
              </RowAction>
              <RowAction subject={user.email} className="button" onClick={() => add(user.id, 'observer')}>
                {t('admin.addObserver')}
              </RowAction>
            </>
          )}
        />
      ) : (
        <AddMemberForm groupId={groupId} />
      )}
      {setRoles.isError && <ErrorNotice error={setRoles.error} />}
      <DataTable
        caption={t('admin.membersAndTeam')}
        columns={columns}
        rows={members.data?.items}
        rowKey={(member) => member.user.id}
        empty={t('groups.noMembers')}
        error={members.error}
        onRetry={() => void members.refetch()}
        loadingLines={2}
      />
      {removing && (
        <RemoveMemberDialog
          groupId={groupId}
          groupName={group.name}
          person={removing}
          onClose={() => setRemoving(null)}
        />
      )}
    </section>
  );
}
