import { useUser } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { ChangePasswordForm } from './change-password-form';
import { PreferencesForm } from './preferences-form';
import { ProfileNameForm } from './profile-name-form';

/** My profile: name, password, how I am told of news by e-mail, and my language. */
export function ProfilePage() {
  const t = useT();
  const user = useUser();
  return (
    <div className="stack profile-page">
      <div>
        <h1>{t('profile.title')}</h1>
        <p className="muted">{t('profile.signedInAs', { email: user.email })}</p>
      </div>
      <ProfileNameForm />
      <PreferencesForm />
      <ChangePasswordForm />
    </div>
  );
}
