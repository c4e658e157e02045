import type { ButtonHTMLAttributes, ReactNode } from 'react';

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & {
  /** What the action is about (a row's name, e-mail or address): read after the label, not shown. */
  subject: ReactNode;
};

/** A button in a row of a list or table: its visible label, and for screen readers the row it acts on. */
export function RowAction({ subject, className = 'link-button', children, ...button }: Props) {
  return (
    <button type="button" className={className} {...button}>
      {children}
      <span className="visually-hidden"> {subject}</span>
    </button>
  );
}
