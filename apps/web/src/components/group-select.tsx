import { useQuery } from '@tanstack/react-query';
import type { SelectHTMLAttributes } from 'react';
import { getFlatGroupsQueryOptions } from '@/lib/api/groups';

type Props = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'children'> & {
  /** The first option (no group chosen); `emptyDisabled` keeps it from being chosen back. */
  emptyLabel: string;
  emptyDisabled?: boolean;
};

/** A choice among every group the caller may see (the flat list, by name); label it from outside. */
export function GroupSelect({ emptyLabel, emptyDisabled = false, ...select }: Props) {
  const groups = useQuery(getFlatGroupsQueryOptions());
  return (
    <select {...select}>
      <option value="" disabled={emptyDisabled}>
        {emptyLabel}
      </option>
      {(groups.data?.items ?? []).map((g) => (
        <option key={g.id} value={g.id}>
          {g.name}
        </option>
      ))}
    </select>
  );
}
