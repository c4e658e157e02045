import type { User } from '@covey/schema';
import { useDeferredValue, useId, useState, type ReactNode } from 'react';
import { Skeleton } from '@/components/ui/query-state';
import { useT } from '@/lib/i18n';
import { useUsers } from '@/lib/api/users';

/** Search people by name or e-mail; `actions` renders the buttons for each result (add as member, pick, ...). */
export function UserPicker({ label, actions }: { label: string; actions: (user: User) => ReactNode }) {
  const t = useT();
  const id = useId();
  const [q, setQ] = useState('');
  const deferred = useDeferredValue(q.trim());
  const users = useUsers({ q: deferred, status: 'active' }, { enabled: deferred.length >= 2 });

  return (
    <div className="user-picker">
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input id={id} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('admin.searchHint')} />
      </div>
      {deferred.length >= 2 && (
        <div aria-live="polite">
          {users.isPending && <Skeleton lines={1} />}
          {users.data && users.data.items.length === 0 && <p className="muted">{t('admin.noUserFound')}</p>}
          {users.data && users.data.items.length > 0 && (
            <ul className="item-list picker-results" aria-label={t('admin.searchResults')}>
              {users.data.items.map((user) => (
                <li key={user.id} className="item">
                  <span className="item-main">
                    <span className="item-title">
                      {user.firstName} {user.lastName}
                    </span>
                    <span className="muted small">{user.email}</span>
                  </span>
                  <span className="button-row">{actions(user)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
