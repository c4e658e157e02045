import type { GroupRole } from '@covey/schema';
import { useId, useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ui/query-state';
import { SelectField } from '@/components/ui/select-field';
import { ApiError } from '@/lib/api-client';
import { useT, type MessageKey } from '@/lib/i18n';
import { useAddMemberByRef } from '../api/add-member';

const roleLabels: Record<GroupRole, MessageKey> = {
  learner: 'admin.role.learner',
  observer: 'admin.role.observer',
  admin: 'admin.role.admin',
};
const roles: readonly GroupRole[] = ['learner', 'observer', 'admin'];

/**
 * How a group admin adds someone: by their exact e-mail or external id, with no search (that would show people
 * outside their groups). Nothing about the person shows until they are in the group.
 */
export function AddMemberForm({ groupId }: { groupId: string }) {
  const t = useT();
  const id = useId();
  const add = useAddMemberByRef(groupId);
  const [value, setValue] = useState('');
  const [role, setRole] = useState<GroupRole>('learner');
  const [added, setAdded] = useState<{ value: string; role: GroupRole } | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = value.trim();
    if (!typed) return;
    setAdded(null);
    add.mutate(
      { value: typed, role },
      {
        onSuccess: () => {
          setAdded({ value: typed, role });
          setValue('');
        },
      },
    );
  };
  const unknown = add.error instanceof ApiError && add.error.status === 404;

  return (
    <form className="form add-member" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('admin.addByRef.title')}</h3>
      <div className="field-row align-end">
        <div className="field grow">
          <label htmlFor={`${id}-ref`}>{t('admin.addByRef.label')}</label>
          <input
            id={`${id}-ref`}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-describedby={`${id}-hint`}
            aria-invalid={unknown || undefined}
            autoComplete="off"
            required
            maxLength={320}
          />
        </div>
        <SelectField
          id={`${id}-role`}
          label={t('admin.addByRef.role')}
          options={roles.map((r) => ({ value: r, label: t(roleLabels[r]) }))}
          value={role}
          onChange={(e) => setRole(e.target.value as GroupRole)}
        />
        <button type="submit" className="button button-primary" disabled={add.isPending}>
          {t('admin.addByRef.submit')}
        </button>
      </div>
      <p id={`${id}-hint`} className="muted small">
        {t('admin.addByRef.hint')}
      </p>
      {unknown ? (
        <p className="form-error" role="alert">
          {t('admin.addByRef.notFound')}
        </p>
      ) : (
        add.isError && <ErrorNotice error={add.error} />
      )}
      <p role="status" className={added ? 'notice-success' : 'visually-hidden'}>
        {added ? t('admin.addByRef.added', { value: added.value, role: t(roleLabels[added.role]) }) : ''}
      </p>
    </form>
  );
}
