import type { InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'id' | 'aria-invalid' | 'aria-describedby'> & {
  id: string;
  label: string;
  autoComplete: 'current-password' | 'new-password';
  /** Shown under the field and read with it. */
  hint?: string;
  invalid?: boolean;
  /** The element that says what is wrong, read with the field while it is. */
  problemId?: string | undefined;
};

/** A labelled password input: new passwords (invitation, reset, profile) and the current one (profile). */
export function PasswordField({ id, label, hint, invalid, problemId, maxLength = 256, ...input }: Props) {
  const hintId = hint ? `${id}-hint` : undefined;
  const describedBy = [hintId, invalid ? problemId : undefined].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="password"
        maxLength={maxLength}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint && (
        <p id={hintId} className="muted small">
          {hint}
        </p>
      )}
    </div>
  );
}
