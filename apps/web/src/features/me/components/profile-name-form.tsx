import { useId } from 'react';
import { useUser } from '@/lib/auth';
import { formText } from '@/lib/form';
import { useT } from '@/lib/i18n';
import { ProfileFormFooter, useProfileSave } from './profile-form-footer';

export function ProfileNameForm() {
  const t = useT();
  const id = useId();
  const user = useUser();
  const { submit, footer } = useProfileSave((data) => ({
    firstName: formText(data, 'firstName'),
    lastName: formText(data, 'lastName'),
  }));

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
        <ProfileFormFooter submitLabel={t('profile.saveName')} {...footer} />
      </form>
    </section>
  );
}
