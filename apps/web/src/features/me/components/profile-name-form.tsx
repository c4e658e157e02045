import { useId, useState, type FormEvent } from 'react';
import { useUser } from '@/lib/auth';
import { formText } from '@/lib/form';
import { useT } from '@/lib/i18n';
import { useUpdateMe } from '../api/update-me';
import { ProfileFormFooter } from './profile-form-footer';

export function ProfileNameForm() {
  const t = useT();
  const id = useId();
  const user = useUser();
  const update = useUpdateMe();
  const [saved, setSaved] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setSaved(false);
    update.mutate(
      { firstName: formText(data, 'firstName'), lastName: formText(data, 'lastName') },
      { onSuccess: () => setSaved(true) },
    );
  };

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('profile.name')}</h2>
      <form className="form narrow-field" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-first`}>{t('profile.firstName')}</label>
          <input id={`${id}-first`} name="firstName" defaultValue={user.firstName} autoComplete="given-name" required maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-last`}>{t('profile.lastName')}</label>
          <input id={`${id}-last`} name="lastName" defaultValue={user.lastName} autoComplete="family-name" required maxLength={100} />
        </div>
        <ProfileFormFooter
          submitLabel={t('profile.saveName')}
          pending={update.isPending}
          done={saved ? t('profile.saved') : null}
          error={update.error}
        />
      </form>
    </section>
  );
}
