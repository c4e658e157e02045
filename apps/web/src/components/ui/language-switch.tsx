import { useId } from 'react';
import { api } from '@/lib/api-client';
import { languageNames, locales, useI18n, type Locale } from '@/lib/i18n';

export function LanguageSwitch({ signedIn }: { signedIn: boolean }) {
  const { locale, setLocale, t } = useI18n();
  const id = useId();
  const change = (next: Locale) => {
    setLocale(next);
    // The server uses the locale for e-mails; the screen has already switched, so a failure here is not shown.
    if (signedIn) void api.patch('/api/v1/me', { locale: next }).catch(() => undefined);
  };
  return (
    <span className="language-switch">
      <label htmlFor={id} className="visually-hidden">
        {t('common.language')}
      </label>
      <select id={id} value={locale} onChange={(e) => change(e.target.value as Locale)}>
        {locales.map((l) => (
          <option key={l} value={l} lang={l}>
            {languageNames[l]}
          </option>
        ))}
      </select>
    </span>
  );
}
