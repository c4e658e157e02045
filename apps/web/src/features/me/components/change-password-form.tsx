import { useId, useState, type FormEvent } from 'react';
import { NewPasswordFields, PasswordField } from '@/components/ui/password-field';
import { ApiError } from '@/lib/api-client';
import { useUser } from '@/lib/auth';
import { useT, type MessageKey } from '@/lib/i18n';
import { useUpdateMe } from '../api/update-me';
import { ProfileFormFooter } from './profile-form-footer';

/** The API's rule (schema `password`): at least 10 characters; it also refuses common passwords and one's own name. */
const MIN_LENGTH = 10;

// The API's reasons for a weak password (apps/api/src/lib/passwords.ts), in the reader's language.
const weakReasons: Record<string, MessageKey> = {
  'is one of the most common passwords': 'profile.password.common',
  'is your e-mail address or name': 'profile.password.own',
};

type Problem = { field: 'current' | 'new' | 'confirmation'; message: string };

/** Which field the API's answer is about, in words; null when it is not about a field. */
function problemOf(error: unknown, t: (key: MessageKey) => string): Problem | null {
  if (!(error instanceof ApiError)) return null;
  const field = error.errors[0];
  if (error.code === 'weak_password')
    return { field: 'new', message: t(weakReasons[field?.message ?? ''] ?? 'password.weak') };
  if (field?.field === 'body.currentPassword') return { field: 'current', message: t('profile.password.incorrect') };
  return null;
}

export function ChangePasswordForm() {
  const t = useT();
  const id = useId();
  const user = useUser();
  const update = useUpdateMe();
  const [local, setLocal] = useState<Problem | null>(null);
  const [changed, setChanged] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    // Not trimmed: spaces are part of a password.
    const value = (name: string) => {
      const entry = data.get(name);
      return typeof entry === 'string' ? entry : '';
    };
    const [currentPassword, password] = [value('currentPassword'), value('password')];
    setChanged(false);
    update.reset();
    if (!currentPassword) return setLocal({ field: 'current', message: t('profile.password.currentRequired') });
    if (password.length < MIN_LENGTH) return setLocal({ field: 'new', message: t('profile.password.tooShort') });
    if (password !== value('confirmation')) return setLocal({ field: 'confirmation', message: t('password.mismatch') });
    setLocal(null);
    update.mutate(
      { currentPassword, password },
      {
        onSuccess: () => {
          form.reset();
          setChanged(true);
        },
      },
    );
  };

  const problem = local ?? problemOf(update.error, t);

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('profile.password')}</h2>
      <form className="form narrow-field" onSubmit={submit} noValidate>
        <NewPasswordFields
          id={id}
          email={user.email}
          invalid={{ password: problem?.field === 'new', confirmation: problem?.field === 'confirmation' }}
          problemId={`${id}-problem`}
        >
          <PasswordField
            id={`${id}-current`}
            name="currentPassword"
            label={t('profile.password.current')}
            autoComplete="current-password"
            maxLength={1024}
            invalid={problem?.field === 'current'}
            problemId={`${id}-problem`}
          />
        </NewPasswordFields>
        {problem && (
          <p id={`${id}-problem`} className="form-error" role="alert">
            {problem.message}
          </p>
        )}
        <ProfileFormFooter
          submitLabel={t('profile.password.change')}
          pending={update.isPending}
          done={changed ? t('profile.password.changed') : null}
          error={problem ? null : update.error}
        />
      </form>
    </section>
  );
}
