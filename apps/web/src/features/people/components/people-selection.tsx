import type { GroupRole, User } from '@covey/schema';
import { useId, useRef, useState, type FormEvent } from 'react';
import { GroupSelect } from '@/components/group-select';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorNotice } from '@/components/ui/query-state';
import { formText } from '@/lib/form';
import { useT, type MessageKey } from '@/lib/i18n';
import { usePlural } from '@/lib/i18n/plural';
import { previewBulkDeactivation, useDeactivateMany, type BulkDeactivationPreview } from '../api/bulk-deactivation';
import { useBulkOperation, useStartBulkMemberships } from '../api/bulk-memberships';

const groupRoles: readonly GroupRole[] = ['learner', 'observer', 'admin'];
const groupRoleLabels: Record<GroupRole, MessageKey> = {
  learner: 'admin.role.learner',
  observer: 'admin.role.observer',
  admin: 'admin.role.admin',
};

/** Deactivating everyone selected: each one's dry run summed up first (sessions ended; groups, enrollments kept). */
function BulkDeactivateDialog({ users, onClose }: { users: User[]; onClose: (done: boolean) => void }) {
  const t = useT();
  const plural = usePlural();
  const deactivate = useDeactivateMany();
  // Only those the dry run cleared (active, within the caller's rank) are deactivated.
  const cleared = useRef<User[]>([]);
  return (
    <ConfirmDialog<BulkDeactivationPreview, { done: number; failed: User[] }>
      title={plural('people.bulkDeactivate.title', users.length)}
      preview={async () => {
        const p = await previewBulkDeactivation(users);
        cleared.current = p.people;
        return p;
      }}
      blockedBy={(p) => (p.people.length === 0 ? t('people.bulkDeactivate.nobody') : null)}
      consequence={(p) => (
        <>
          <p>{plural('people.bulkDeactivate.people', p.people.length)}</p>
          <p>{plural('people.bulkDeactivate.sessions', p.activeSessions)}</p>
          <p>{plural('people.bulkDeactivate.enrollments', p.enrollments)}</p>
          {p.refused.length > 0 && (
            <>
              <p>{plural('people.bulkDeactivate.refused', p.refused.length)}</p>
              <ul>
                {p.refused.map(({ user, reason }) => (
                  <li key={user.id}>
                    {user.firstName} {user.lastName}: {reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      confirmLabel={t('admin.deactivate')}
      confirm={() => deactivate.mutateAsync(cleared.current)}
      result={(_, outcome) =>
        outcome.failed.length
          ? t('people.bulkDeactivate.partly', { done: outcome.done, failed: outcome.failed.length })
          : plural('people.bulkDeactivate.done', outcome.done)
      }
      onClose={() => onClose(deactivate.isSuccess)}
    />
  );
}

/** Adds everyone selected to a group through the bulk API, and follows the operation to its end. */
function AddToGroup({ users }: { users: User[] }) {
  const t = useT();
  const plural = usePlural();
  const id = useId();
  const start = useStartBulkMemberships();
  const [operationId, setOperationId] = useState<string | null>(null);
  // The group picked, and the one the operation under way adds to (named in its outcome).
  const [picked, setPicked] = useState('');
  const [groupName, setGroupName] = useState('');
  const operation = useBulkOperation(operationId);
  const op = operation.data;
  const running = operationId !== null && (!op || op.status === 'queued' || op.status === 'running');

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const group = formText(data, 'group');
    const role = (formText(data, 'role') || 'learner') as GroupRole;
    setGroupName(picked);
    setOperationId(null);
    start.mutate(
      { operations: users.map((u) => ({ op: 'add' as const, user: u.id, group, role })) },
      { onSuccess: (started) => setOperationId(started.id) },
    );
  };

  return (
    <form className="selection-form" onSubmit={submit} aria-label={t('people.addToGroup')}>
      <GroupSelect
        label={t('people.addToGroup.group')}
        name="group"
        required
        emptyLabel={t('people.addToGroup.choose')}
        emptyDisabled
        onChange={(_, group) => setPicked(group?.name ?? '')}
      />
      <div className="field">
        <label htmlFor={`${id}-role`}>{t('people.addToGroup.role')}</label>
        <select id={`${id}-role`} name="role" defaultValue="learner">
          {groupRoles.map((r) => (
            <option key={r} value={r}>
              {t(groupRoleLabels[r])}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button" disabled={start.isPending || running}>
        {t('people.addToGroup')}
      </button>
      {start.isError && <ErrorNotice error={start.error} />}
      {operation.isError && <ErrorNotice error={operation.error} onRetry={() => void operation.refetch()} />}
      <p role="status" className="muted small">
        {running
          ? t('people.addToGroup.running')
          : op
            ? op.failed > 0
              ? t('people.addToGroup.partly', { done: op.succeeded, failed: op.failed, group: groupName })
              : plural('people.addToGroup.done', op.succeeded, { group: groupName })
            : ''}
      </p>
    </form>
  );
}

/** What can be done with the people ticked in the list. */
export function PeopleSelection({ users, onClear }: { users: User[]; onClear: () => void }) {
  const t = useT();
  const plural = usePlural();
  const [deactivating, setDeactivating] = useState(false);
  const anyActive = users.some((u) => u.status === 'active');
  return (
    <section className="selection-bar card" aria-label={t('people.selection')}>
      <p role="status" className="selection-count">
        {plural('people.selected', users.length)}
      </p>
      {users.length > 0 && (
        <>
          <AddToGroup users={users} />
          <div className="row-actions">
            <button
              type="button"
              className="button button-danger"
              disabled={!anyActive}
              onClick={() => setDeactivating(true)}
            >
              {t('people.deactivateSelected')}
            </button>
            <button type="button" className="link-button" onClick={onClear}>
              {t('people.clearSelection')}
            </button>
          </div>
        </>
      )}
      {deactivating && (
        <BulkDeactivateDialog
          users={users}
          onClose={(done) => {
            setDeactivating(false);
            if (done) onClear();
          }}
        />
      )}
    </section>
  );
}
