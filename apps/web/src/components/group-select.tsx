import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import type { Group } from '@covey/schema';
import { api } from '@/lib/api-client';
import { getGroups, groupPath } from '@/lib/api/groups';
import { queryKeys } from '@/lib/api/query-keys';
import { useT } from '@/lib/i18n';

type Props = {
  label: string;
  /** The label read by screen readers only (a row's inline form, where the row says what it is about). */
  hideLabel?: boolean;
  /** The first option (no group chosen); `emptyDisabled` keeps it from being chosen back. */
  emptyLabel: string;
  emptyDisabled?: boolean;
  hint?: string;
  /** The select's form name, for forms read through FormData. */
  name?: string;
  required?: boolean;
  /** Controlled: the chosen group id ('' for none) with `onChange`; else the select keeps its own choice. */
  value?: string;
  onChange?: (groupId: string, group: { id: string; name: string } | null) => void;
  /** Only the groups the signed-in person may manage, as the API decides (`manageable=true`): a group admin's subtrees. */
  manageable?: boolean;
  /** A group that may not be chosen, nor anything below it (a group's own subtree, as its parent): left out by the API. */
  outside?: string;
  /** Other groups that may not be chosen (the parent a group already has, as the place to move it). */
  exclude?: (groupId: string) => boolean;
};

type Option = { id: string; name: string };

/**
 * The one group picker of the app: a search box that asks the API (`GET /groups?q=`) as one types, and the matching
 * groups in a select, so every group can be reached however many there are (not only the first page). Which groups
 * may be chosen (`manageable`, `outside`) is asked of the API too, so it holds past the first page as well.
 */
export function GroupSelect({
  label,
  hideLabel = false,
  emptyLabel,
  emptyDisabled = false,
  hint,
  name,
  required,
  value,
  onChange,
  manageable = false,
  outside,
  exclude,
}: Props) {
  const t = useT();
  const id = useId();
  const [q, setQ] = useState('');
  const search = useDeferredValue(q.trim());
  // The group chosen stays an option while the search moves on to others.
  const [chosen, setChosen] = useState<Option | null>(null);
  const groups = useQuery({
    queryKey: [...queryKeys.groups.all, 'search', search, { manageable, outside }] as const,
    queryFn: ({ signal }) => getGroups({ q: search || undefined, manageable, outside, signal }),
    placeholderData: keepPreviousData,
  });
  const found: Option[] = (groups.data?.items ?? []).filter((g) => !exclude?.(g.id));
  const current = value ?? chosen?.id ?? '';
  // A group chosen before (the current parent, say) that the search does not list: read by its id to name it.
  const listed = current === '' || chosen?.id === current || found.some((g) => g.id === current);
  const known = useQuery({
    queryKey: queryKeys.groups.detail(current),
    queryFn: ({ signal }) => api.get<Group>(groupPath(current), { signal }),
    enabled: !listed && groups.isSuccess,
  });
  const kept = chosen?.id === current ? chosen : !listed && known.data ? { id: known.data.id, name: known.data.name } : null;
  const options = kept && !found.some((g) => g.id === kept.id) ? [kept, ...found] : found;
  const more = groups.data?.nextCursor ? t('groups.picker.more') : '';

  return (
    <div className="field group-select">
      <label htmlFor={`${id}-select`} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <input
        id={`${id}-search`}
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        aria-label={t('groups.picker.search', { label })}
        aria-controls={`${id}-select`}
        placeholder={t('groups.picker.placeholder')}
        autoComplete="off"
      />
      <select
        id={`${id}-select`}
        name={name}
        required={required}
        value={current}
        aria-describedby={hint || more ? `${id}-hint` : undefined}
        onChange={(e) => {
          const picked = options.find((g) => g.id === e.target.value) ?? null;
          setChosen(picked);
          onChange?.(e.target.value, picked);
        }}
      >
        <option value="" disabled={emptyDisabled}>
          {emptyLabel}
        </option>
        {options.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
      </select>
      <span id={`${id}-hint`} className="muted small" aria-live="polite">
        {[hint, more].filter(Boolean).join(' ')}
      </span>
    </div>
  );
}
