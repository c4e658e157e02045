import type { Me } from '@covey/schema';
import { useId } from 'react';
import { useUser } from '@/lib/auth';
import { languageNames, locales, useI18n, type Locale, type MessageKey } from '@/lib/i18n';
import { ProfileFormFooter, useProfileSave } from './profile-form-footer';

const notifyOptions: { value: Me['notifyEmail']; label: MessageKey; hint: MessageKey }[] = [
  { value: 'immediately', label: 'profile.notify.immediately', hint: 'profile.notify.immediatelyHint' },
  { value: 'digest', label: 'profile.notify.digest', hint: 'profile.notify.digestHint' },
  { value: 'never', label: 'profile.notify.never', hint: 'profile.notify.neverHint' },
];

/** How I hear of what happens (e-mail notifications) and the language of the app and of my e-mails. */
export function PreferencesForm() {
  const { t, locale, setLocale } = useI18n();
  const id = useId();
  const user = useUser();
  const { submit, footer } = useProfileSave(
    (data) => ({ notifyEmail: data.get('notifyEmail') as Me['notifyEmail'], locale: data.get('locale') as Locale }),
    (saved) => setLocale(saved.locale),
  );

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('profile.preferences')}</h2>
      <form className="form" onSubmit={submit}>
        <fieldset className="fieldset">
          <legend>{t('profile.notify.legend')}</legend>
          {notifyOptions.map((option) => (
            <div key={option.value} className="radio-row">
              <input
                type="radio"
                id={`${id}-${option.value}`}
                name="notifyEmail"
                value={option.value}
                defaultChecked={user.notifyEmail === option.value}
                aria-describedby={`${id}-${option.value}-hint`}
              />
              <label htmlFor={`${id}-${option.value}`}>
                {t(option.label)}
                <span id={`${id}-${option.value}-hint`} className="muted small block">
                  {t(option.hint)}
                </span>
              </label>
            </div>
          ))}
        </fieldset>
        <div className="field narrow-field">
          <label htmlFor={`${id}-locale`}>{t('profile.language')}</label>
          {/* The app's language on this device now, the server's for e-mails (they agree once saved). */}
          <select key={locale} id={`${id}-locale`} name="locale" defaultValue={locale}>
            {locales.map((l) => (
              <option key={l} value={l} lang={l}>
                {languageNames[l]}
              </option>
            ))}
          </select>
        </div>
        <ProfileFormFooter submitLabel={t('profile.savePreferences')} {...footer} />
      </form>
    </section>
  );
}
