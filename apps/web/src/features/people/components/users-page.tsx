import type { User, WorkspaceRole } from '@covey/schema';
import { useDeferredValue, useId, useState, type FormEvent } from 'react';
import { RowAction } from '@/components/ui/row-action';
import { DataTable, type Column } from '@/components/ui/data-table';
import { ErrorNotice } from '@/components/ui/query-state';
import { SelectField } from '@/components/ui/select-field';
import { formText } from '@/lib/form';
import { useI18n, useT, type MessageKey } from '@/lib/i18n';
import { usePlural } from '@/lib/i18n/plural';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { GroupSelect } from '@/components/group-select';
import type { UsersFilter } from '@/lib/api/users';
import { useUsersPages } from '../api/get-users-pages';
import { PeopleSelection } from './people-selection';
import { useCreateUser } from '../api/create-user';
import { useResendInvitation, useRevokeInvitation, useSendPasswordReset, type LinkSent } from '../api/send-user-links';
import {
  previewDeactivation,
  useSetUserActive,
  useSetUserRole,
  type DeactivationPreview,
} from '../api/set-user-status';

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
  const [email, setEmail] = useState('');
  // An invitation by default: the person chooses their own password. An initial password is the exception.
  const [withPassword, setWithPassword] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const password = withPassword ? formText(data, 'password') : '';
    create.mutate(
      {
        email: formText(data, 'email'),
        firstName: formText(data, 'firstName'),
        lastName: formText(data, 'lastName'),
        role: formText(data, 'role') as WorkspaceRole,
        ...(password ? { password } : {}),
      },
      {
        onSuccess: () => {
          form.reset();
          setEmail('');
          setWithPassword(false);
        },
      },
    );
  };
  const created = create.data;
  const invited = created !== undefined && created.state === 'invited';
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
          <input
            id={`${id}-email`}
            name="email"
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-describedby={`${id}-how`}
          />
        </div>
        <SelectField
          id={`${id}-role`}
          label={t('admin.role')}
          options={roles.map((r) => ({ value: r, label: t(roleLabels[r]) }))}
          name="role"
          defaultValue="learner"
        />
      </div>
      <label className="checkbox-row">
        <input type="checkbox" checked={withPassword} onChange={(e) => setWithPassword(e.target.checked)} />
        {t('admin.setPasswordInstead')}
      </label>
      {withPassword && (
        <div className="field">
          <label htmlFor={`${id}-password`}>{t('admin.initialPassword')}</label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            minLength={10}
            maxLength={256}
            required
            autoComplete="new-password"
          />
        </div>
      )}
      <p id={`${id}-how`} className="muted small">
        {withPassword
          ? t('admin.passwordHint')
          : email.trim()
            ? t('admin.inviteHint', { email: email.trim() })
            : t('admin.inviteHintNoEmail')}
      </p>
      {create.isError && <ErrorNotice error={create.error} />}
      {created && (
        <p role="status" className="notice-success">
          {invited
            ? t('admin.userInvited', { email: created.email })
            : t('admin.userCreated', { email: created.email })}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        {t('admin.createUser')}
      </button>
    </form>
  );
}

/** What the state column says: invited (with the invitation's expiry), active, deactivated. */
function StateCell({ user }: { user: User }) {
  const t = useT();
  const { formatDate } = useI18n();
  // When the page opened: an invitation that expires while one looks is said so at the next visit.
  const [now] = useState(Date.now);
  const state = user.state;
  if (state !== 'invited') return <>{state === 'active' ? t('admin.active') : t('admin.deactivated')}</>;
  const expiresAt = user.invitation?.expiresAt;
  return (
    <>
      {t('admin.invited')}
      <span className="muted small block">
        {!expiresAt
          ? t('admin.noInvitationPending')
          : new Date(expiresAt).getTime() > now
            ? t('admin.invitationValidUntil', { date: formatDate(expiresAt) })
            : t('admin.invitationExpiredOn', { date: formatDate(expiresAt) })}
      </span>
    </>
  );
}

type LinkAction = 'resend' | 'revoke' | 'reset';

/** Resending or revoking an invitation, or mailing a password reset: what will happen, then what happened. */
function LinkActionDialog({ user, action, onClose }: { user: User; action: LinkAction; onClose: () => void }) {
  const t = useT();
  const { formatDate } = useI18n();
  const resend = useResendInvitation();
  const revoke = useRevokeInvitation();
  const reset = useSendPasswordReset();
  const name = `${user.firstName} ${user.lastName}`;
  const email = user.email;
  const texts = {
    resend: {
      title: t('admin.resendInvitation.title', { name }),
      body: t('admin.resendInvitation.body', { email }),
      confirm: t('admin.resendInvitation.confirm'),
    },
    revoke: {
      title: t('admin.revokeInvitation.title', { name }),
      body: t('admin.revokeInvitation.body', { email }),
      confirm: t('admin.revokeInvitation.confirm'),
    },
    reset: {
      title: t('admin.passwordReset.title', { name }),
      body: t('admin.passwordReset.body', { email }),
      confirm: t('admin.passwordReset.confirm'),
    },
  }[action];
  return (
    <ConfirmDialog<User, LinkSent | undefined>
      title={texts.title}
      // Nothing to dry-run: what happens is said in words.
      preview={() => Promise.resolve(user)}
      consequence={() => <p>{texts.body}</p>}
      confirmLabel={texts.confirm}
      tone={action === 'revoke' ? 'danger' : 'primary'}
      confirm={() =>
        action === 'resend'
          ? resend.mutateAsync(user.id)
          : action === 'revoke'
            ? revoke.mutateAsync(user.id)
            : reset.mutateAsync(user.id)
      }
      result={(_, sent) => {
        if (action === 'revoke' || !sent) return t('admin.revokeInvitation.done', { name });
        const values = { email: sent.sentTo, date: formatDate(sent.expiresAt) };
        return action === 'resend' ? t('admin.resendInvitation.done', values) : t('admin.passwordReset.done', values);
      }}
      onClose={onClose}
    />
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

/** One filter of the list: a select whose first option is "any". */
function FilterSelect({
  label,
  anyLabel,
  value,
  options,
  onChange,
  hint,
}: {
  label: string;
  anyLabel: string;
  value: string | undefined;
  options: readonly (readonly [string, string])[];
  onChange: (value: string | undefined) => void;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value || undefined)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      >
        <option value="">{anyLabel}</option>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
      {hint && (
        <span id={`${id}-hint`} className="muted small">
          {hint}
        </span>
      )}
    </div>
  );
}

/** Search, status, role and group: the people list's filters, all sent to the API. */
function PeopleFilters({
  filter,
  onChange,
}: {
  filter: UsersFilter & { q: string };
  onChange: (f: UsersFilter & { q: string }) => void;
}) {
  const t = useT();
  const id = useId();
  return (
    <div className="filters-row" role="search" aria-label={t('people.filters')}>
      <div className="field">
        <label htmlFor={`${id}-q`}>{t('admin.search')}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={filter.q}
          onChange={(e) => onChange({ ...filter, q: e.target.value })}
          aria-describedby={`${id}-q-hint`}
        />
        <span id={`${id}-q-hint`} className="muted small">
          {t('people.searchHint')}
        </span>
      </div>
      <FilterSelect
        label={t('admin.userStatus')}
        anyLabel={t('people.anyStatus')}
        value={filter.status}
        options={[
          ['active', t('admin.active')],
          ['deactivated', t('admin.deactivated')],
        ]}
        onChange={(status) => onChange({ ...filter, status: status as UsersFilter['status'] })}
      />
      <FilterSelect
        label={t('admin.role')}
        anyLabel={t('people.anyRole')}
        value={filter.role}
        options={roles.map((r) => [r, t(roleLabels[r])] as const)}
        onChange={(role) => onChange({ ...filter, role: role as WorkspaceRole | undefined })}
      />
      <GroupSelect
        label={t('people.group')}
        emptyLabel={t('people.anyGroup')}
        value={filter.group ?? ''}
        onChange={(group) => onChange({ ...filter, group: group || undefined })}
        hint={t('people.groupHint')}
      />
    </div>
  );
}

export function UsersPage() {
  const t = useT();
  const plural = usePlural();
  const id = useId();
  const [filter, setFilter] = useState<UsersFilter & { q: string }>({ q: '' });
  const deferredQ = useDeferredValue(filter.q.trim());
  const users = useUsersPages({ ...filter, q: deferredQ || undefined });
  const rows = users.data?.pages.flatMap((p) => p.items);
  const setActive = useSetUserActive();
  const setRole = useSetUserRole();
  const [deactivating, setDeactivating] = useState<User | null>(null);
  const [linkAction, setLinkAction] = useState<{ user: User; action: LinkAction } | null>(null);
  // Ticked people, kept across pages and filters until cleared (the rows they were ticked in may be gone).
  const [selected, setSelected] = useState<Map<string, User>>(new Map());
  const toggle = (user: User, on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      if (on) next.set(user.id, user);
      else next.delete(user.id);
      return next;
    });
  const allShownSelected = !!rows?.length && rows.every((u) => selected.has(u.id));
  const toggleShown = (on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      for (const user of rows ?? []) {
        if (on) next.set(user.id, user);
        else next.delete(user.id);
      }
      return next;
    });

  const columns: Column<User>[] = [
    {
      id: 'select',
      header: t('people.select'),
      hideHeader: true,
      cell: (user) => (
        <input
          type="checkbox"
          aria-label={t('people.selectPerson', { name: `${user.firstName} ${user.lastName}` })}
          checked={selected.has(user.id)}
          onChange={(e) => toggle(user, e.target.checked)}
        />
      ),
    },
    {
      id: 'person',
      header: t('admin.person'),
      rowHeader: true,
      cell: (user) => (
        <>
          {user.firstName} {user.lastName}
          <span className="muted small block">{user.email}</span>
          {user.externalId && (
            <span className="muted small block">
              {t('people.externalId')} <code>{user.externalId}</code>
            </span>
          )}
        </>
      ),
    },
    {
      id: 'role',
      header: t('admin.role'),
      cell: (user) => (
        <>
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
        </>
      ),
    },
    { id: 'status', header: t('admin.userStatus'), cell: (user) => <StateCell user={user} /> },
    {
      id: 'actions',
      header: t('admin.actions'),
      hideHeader: true,
      cell: (user) => {
        const active = user.status === 'active';
        const state = user.state;
        return (
          <div className="row-actions">
            {state === 'invited' && (
              <RowAction subject={user.email} onClick={() => setLinkAction({ user, action: 'resend' })}>
                {t('admin.resendInvitation')}
              </RowAction>
            )}
            {state === 'invited' && user.invitation && (
              <RowAction subject={user.email} onClick={() => setLinkAction({ user, action: 'revoke' })}>
                {t('admin.revokeInvitation')}
              </RowAction>
            )}
            {state === 'active' && (
              <RowAction subject={user.email} onClick={() => setLinkAction({ user, action: 'reset' })}>
                {t('admin.sendPasswordReset')}
              </RowAction>
            )}
            <RowAction
              subject={user.email}
              disabled={setActive.isPending}
              onClick={() => (active ? setDeactivating(user) : setActive.mutate({ userId: user.id, active: true }))}
            >
              {active ? t('admin.deactivate') : t('admin.reactivate')}
            </RowAction>
          </div>
        );
      },
    },
  ];

  return (
    <div className="stack">
      <h1>{t('admin.users')}</h1>
      <CreateUserForm />
      <section className="card" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`}>{t('admin.allUsers')}</h2>
        <PeopleFilters filter={filter} onChange={setFilter} />
        <PeopleSelection users={[...selected.values()]} onClear={() => setSelected(new Map())} />
        {!!rows?.length && (
          <label className="checkbox-row">
            <input type="checkbox" checked={allShownSelected} onChange={(e) => toggleShown(e.target.checked)} />
            {plural('people.selectShown', rows.length)}
          </label>
        )}
        {setActive.isError && <ErrorNotice error={setActive.error} />}
        {setRole.isError && <ErrorNotice error={setRole.error} />}
        <DataTable
          caption={t('admin.allUsers')}
          columns={columns}
          rows={rows}
          rowKey={(user) => user.id}
          empty={t('admin.noUserFound')}
          error={users.error}
          onRetry={() => void users.refetch()}
          loadingLines={4}
        />
        <div className="load-more">
          <p className="muted small" role="status">
            {rows &&
              (users.hasNextPage ? plural('people.shownSoFar', rows.length) : plural('people.shownAll', rows.length))}
          </p>
          {users.hasNextPage && (
            <button
              type="button"
              className="button"
              disabled={users.isFetchingNextPage}
              onClick={() => void users.fetchNextPage()}
            >
              {users.isFetchingNextPage ? t('common.loading') : t('people.loadMore')}
            </button>
          )}
        </div>
      </section>
      {deactivating && <DeactivateDialog user={deactivating} onClose={() => setDeactivating(null)} />}
      {linkAction && (
        <LinkActionDialog user={linkAction.user} action={linkAction.action} onClose={() => setLinkAction(null)} />
      )}
    </div>
  );
}
