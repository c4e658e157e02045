import type { InputHTMLAttributes, ReactNode } from 'react';
import { useT } from '@/lib/i18n';

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

type NewPasswordProps = {
  /** The prefix of the fields' ids. */
  id: string;
  /** The account's address, in a hidden username field: lets a password manager file the password under it. */
  email: string;
  invalid: { password: boolean; confirmation: boolean };
  problemId: string;
  /** For the browser to check (a form without `noValidate`): the API's length, and both fields filled. */
  minLength?: number;
  required?: boolean;
  autoFocus?: boolean;
  onConfirmationChange?: () => void;
  /** Fields between the username and the new password (the current password). */
  children?: ReactNode;
};

/** A new password and its confirmation (invitation, reset, profile), after the account's hidden username. */
export function NewPasswordFields({
  id,
  email,
  invalid,
  problemId,
  autoFocus,
  onConfirmationChange,
  children,
  ...rules
}: NewPasswordProps) {
  const t = useT();
  return (
    <>
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      {children}
      <PasswordField
        id={`${id}-password`}
        name="password"
        label={t('password.new')}
        autoComplete="new-password"
        hint={t('password.hint')}
        autoFocus={autoFocus}
        invalid={invalid.password}
        problemId={problemId}
        {...rules}
      />
      <PasswordField
        id={`${id}-confirmation`}
        name="confirmation"
        label={t('password.confirm')}
        autoComplete="new-password"
        invalid={invalid.confirmation}
        problemId={problemId}
        onChange={onConfirmationChange}
        {...rules}
      />
    </>
  );
}
