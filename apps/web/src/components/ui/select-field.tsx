import type { SelectHTMLAttributes } from 'react';

export type SelectOption = { value: string; label: string };

type Props = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'children'> & {
  id: string;
  label: string;
  options: readonly SelectOption[];
  /** The first choice, of the empty value ("all", "none"); none when left out. */
  emptyLabel?: string;
};

/** A labelled select in a form's field: its options, after an optional empty choice. */
export function SelectField({ id, label, options, emptyLabel, ...select }: Props) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
