import { useState } from 'react';
import { useT } from '@/lib/i18n';
import { usePlural } from '@/lib/i18n/plural';
import { previewGroupDeletion, useDeleteGroup, type GroupDeletionPreview } from '../api/delete-group';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';

type Target = { id: string; name: string };

/** Deleting a group: what it takes with it (memberships, unstarted enrollments) first; refused while it has subgroups. */
export function DeleteGroupDialog({ group, onClose }: { group: Target; onClose: (deleted: boolean) => void }) {
  const t = useT();
  const plural = usePlural();
  const remove = useDeleteGroup();
  return (
    <ConfirmDialog<GroupDeletionPreview>
      title={t('admin.deleteGroup.title', { name: group.name })}
      preview={() => previewGroupDeletion(group.id)}
      blockedBy={(p) =>
        p.subgroups > 0 ? plural('admin.deleteGroup.hasSubgroups', p.subgroups, { name: group.name }) : null
      }
      consequence={(p) =>
        p.subgroups > 0 ? null : (
          <>
            <p>{plural('admin.deleteGroup.members', p.members, { name: group.name })}</p>
            <p>{plural('admin.willWithdraw', p.withdrawn)}</p>
          </>
        )
      }
      confirmLabel={t('admin.deleteGroup.confirm')}
      confirm={() => remove.mutateAsync(group.id)}
      result={(p) => plural('admin.deleteGroup.done', p.withdrawn, { name: group.name })}
      onClose={() => onClose(remove.isSuccess)}
    />
  );
}

/** "Delete this group" at the foot of the editor; once deleted, the editor has nothing left to show. */
export function DeleteGroupButton({ group, onDeleted }: { group: Target; onDeleted: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <section className="card danger-zone" aria-labelledby="delete-group-heading">
      <h2 id="delete-group-heading">{t('admin.deleteGroup.heading')}</h2>
      <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
        {t('admin.deleteGroup.open')}
      </button>
      {open && (
        <DeleteGroupDialog
          group={group}
          onClose={(deleted) => {
            setOpen(false);
            if (deleted) onDeleted();
          }}
        />
      )}
    </section>
  );
}
