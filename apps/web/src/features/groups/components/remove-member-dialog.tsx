import type { GroupRole } from '@covey/schema';
import { useT, type MessageKey } from '@/lib/i18n';
import { usePlural } from '@/lib/i18n/plural';
import { previewMemberRemoval, useRemoveMember, type MemberRemovalPreview } from '../api/remove-member';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';

const roleLabels: Record<GroupRole, MessageKey> = {
  learner: 'admin.role.learner',
  observer: 'admin.role.observer',
  admin: 'admin.role.admin',
};

type Props = { groupId: string; groupName: string; person: { id: string; name: string }; onClose: () => void };

/** Removing someone from a group: which roles they lose and how many unstarted enrollments go with them. */
export function RemoveMemberDialog({ groupId, groupName, person, onClose }: Props) {
  const t = useT();
  const plural = usePlural();
  const remove = useRemoveMember(groupId);
  const values = { name: person.name, group: groupName };
  return (
    <ConfirmDialog<MemberRemovalPreview>
      title={t('admin.removeMember.title', values)}
      preview={() => previewMemberRemoval({ groupId, userId: person.id })}
      consequence={(p) => (
        <>
          <p>{t('admin.removeMember.leaves', values)}</p>
          {p.removed.length > 0 && (
            <p>{t('admin.removeMember.roles', { roles: p.removed.map((r) => t(roleLabels[r])).join(', ') })}</p>
          )}
          <p>{plural('admin.willWithdraw', p.withdrawn)}</p>
        </>
      )}
      confirmLabel={t('admin.removeMember.confirm')}
      confirm={() => remove.mutateAsync(person.id)}
      result={(p) => plural('admin.removeMember.done', p.withdrawn, values)}
      onClose={onClose}
    />
  );
}
