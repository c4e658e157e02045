import type { User, WorkspaceRole } from '@covey/schema';
import { useDeferredValue, useId, useState, type FormEvent } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from '@/components/ui/query-state';
import { useT, type MessageKey } from '@/lib/i18n';
import { usePlural } from '@/lib/i18n/plural';
import {
  previewDeactivation,
  useCreateUser,
  useSetUserActive,
  useSetUserRole,
  useUsers,
  type DeactivationPreview,
} from '../api/users';
import { ConfirmDialog } from './confirm-dialog';

const roles: readonly WorkspaceRole[] = ['learner', 'trainer', 'admin', 'owner'];
const roleLabels: Record<WorkspaceRole, MessageKey> = {
  learner: 'admin.wsRole.learner',
  trainer: 'admin.wsRole.trainer',
  admin: 'admin.wsRole.admin',
  owner: 'admin.wsRole.owner',
};

function CreateUserForm() {
  const t = useT();
  const id = useId();
  const create = useCreateUser();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const get = (name: string) => {
      const value = data.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    create.mutate(
      {
        email: get('email'),
        firstName: get('firstName'),
        lastName: get('lastName'),
        role: get('role') as WorkspaceRole,
        ...(get('password') ? { password: get('password') } : {}),
      },
      { onSuccess: () => form.reset() },
    );
  };
  return (
    <form className="form card" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('admin.newUser')}</h2>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-first`}>{t('admin.firstName')}</label>
          <input id={`${id}-first`} name="firstName" required autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-last`}>{t('admin.lastName')}</label>
          <input id={`${id}-last`} name="lastName" required autoComplete="off" />
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-email`}>{t('admin.email')}</label>
          <input id={`${id}-email`} name="email" type="email" required autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>{t('admin.role')}</label>
          <select id={`${id}-role`} name="role" defaultValue="learner">
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(roleLabels[r])}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>{t('admin.initialPassword')}</label>
        <input id={`${id}-password`} name="password" type="password" minLength={10} autoComplete="new-password" />
      </div>
      {create.isError && <ErrorNotice error={create.error} />}
      {create.isSuccess && (
        <p role="status" className="notice-success">
          {t('admin.userCreated', { email: create.data.email })}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        {t('admin.createUser')}
      </button>
    </form>
  );
}

/** Deactivating someone: the sessions it ends, and that their groups, enrollments and history stay. */
function DeactivateDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const t = useT();
  const plural = usePlural();
  const setActive = useSetUserActive();
  const name = `${user.firstName} ${user.lastName}`;
  return (
    <ConfirmDialog<DeactivationPreview>
      title={t('admin.deactivateUser.title', { name })}
      preview={() => previewDeactivation(user.id)}
      consequence={(p) => (
        <>
          <p>{plural('admin.deactivateUser.sessions', p.activeSessions, { name })}</p>
          <p>{plural('admin.deactivateUser.enrollments', p.enrollments)}</p>
          <p>{plural('admin.deactivateUser.groups', p.groups)}</p>
        </>
      )}
      confirmLabel={t('admin.deactivate')}
      confirm={() => setActive.mutateAsync({ userId: user.id, active: false })}
      result={(p) => plural('admin.deactivateUser.done', p.activeSessions, { name })}
      onClose={onClose}
    />
  );
}

export function UsersPage() {
  const t = useT();
  const id = useId();
  const [q, setQ] = useState('');
  const deferred = useDeferredValue(q.trim());
  const users = useUsers({ q: deferred || undefined });
  const setActive = useSetUserActive();
  const setRole = useSetUserRole();
  const [deactivating, setDeactivating] = useState<User | null>(null);

  return (
    <div className="stack">
      <h1>{t('admin.users')}</h1>
      <CreateUserForm />
      <section className="card" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`}>{t('admin.allUsers')}</h2>
        <div className="field">
          <label htmlFor={`${id}-q`}>{t('admin.search')}</label>
          <input id={`${id}-q`} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        {users.isPending && <Skeleton lines={4} />}
        {users.isError && <ErrorNotice error={users.error} />}
        {setActive.isError && <ErrorNotice error={setActive.error} />}
        {setRole.isError && <ErrorNotice error={setRole.error} />}
        {users.data && users.data.items.length === 0 && <EmptyState title={t('admin.noUserFound')} />}
        {users.data && users.data.items.length > 0 && (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('admin.person')}</th>
                  <th scope="col">{t('admin.role')}</th>
                  <th scope="col">{t('admin.userStatus')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('admin.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.data.items.map((user) => {
                  const active = user.status === 'active';
                  return (
                    <tr key={user.id}>
                      <th scope="row">
                        {user.firstName} {user.lastName}
                        <span className="muted small block">{user.email}</span>
                      </th>
                      <td>
                        <label className="visually-hidden" htmlFor={`role-${user.id}`}>
                          {t('admin.role')} {user.email}
                        </label>
                        <select
                          id={`role-${user.id}`}
                          value={user.role}
                          disabled={setRole.isPending}
                          onChange={(e) => setRole.mutate({ userId: user.id, role: e.target.value as WorkspaceRole })}
                        >
                          {roles.map((r) => (
                            <option key={r} value={r}>
                              {t(roleLabels[r])}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>{active ? t('admin.active') : t('admin.deactivated')}</td>
                      <td>
                        <button
                          type="button"
                          className="link-button"
                          disabled={setActive.isPending}
                          onClick={() =>
                            active ? setDeactivating(user) : setActive.mutate({ userId: user.id, active: true })
                          }
                        >
                          {active ? t('admin.deactivate') : t('admin.reactivate')}
                          <span className="visually-hidden"> {user.email}</span>
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {deactivating && <DeactivateDialog user={deactivating} onClose={() => setDeactivating(null)} />}
    </div>
  );
}
