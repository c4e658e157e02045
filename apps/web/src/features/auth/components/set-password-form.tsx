import { useId, useState, type FormEvent } from 'react';
import { NewPasswordFields } from '@/components/ui/password-field';
import { ApiError } from '@/lib/api-client';
import { describeError } from '@/lib/errors';
import { useT } from '@/lib/i18n';

/** The API's rule (schema `password`): at least 10 characters; it also refuses the most common passwords. */
export const MIN_PASSWORD_LENGTH = 10;

type Props = {
  /** The account's address, for password managers (a hidden username field next to the new password). */
  email: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (password: string) => void;
};

/** A new password typed twice: the two must match before anything is sent. */
export function SetPasswordForm({ email, submitLabel, pending, error, onSubmit }: Props) {
  const t = useT();
  const id = useId();
  const [mismatch, setMismatch] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    // Not trimmed: spaces are part of a password.
    const field = (name: string) => {
      const value = data.get(name);
      return typeof value === 'string' ? value : '';
    };
    const password = field('password');
    const confirmation = field('confirmation');
    if (password !== confirmation) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    onSubmit(password);
  };

  const weak = error instanceof ApiError && error.code === 'weak_password';
  const problem = mismatch
    ? t('password.mismatch')
    : weak
      ? t('password.weak')
      : error
        ? describeError(error, t)
        : null;

  return (
    <form className="form" onSubmit={submit}>
      <NewPasswordFields
        id={id}
        email={email}
        invalid={{ password: weak, confirmation: mismatch }}
        problemId={`${id}-problem`}
        minLength={MIN_PASSWORD_LENGTH}
        required
        autoFocus
        onConfirmationChange={() => mismatch && setMismatch(false)}
      />
      {problem && (
        <p id={`${id}-problem`} className="form-error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}
