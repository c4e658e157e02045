import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { formatDateTime } from './formats';

export type Locale = 'en' | 'fr';
export const locales: readonly Locale[] = ['en', 'fr'];
/** Each language in its own words, for the pickers. */
export const languageNames: Record<Locale, string> = { en: 'English', fr: 'Français' };
export type { MessageKey };

type Dictionary = Record<MessageKey, string>;
const STORAGE_KEY = 'covey.locale';

// English ships with the app; French loads on demand, so an English page does not download and parse it.
const loaded: Partial<Record<Locale, Dictionary>> = { en };
const loading: Partial<Record<Locale, Promise<Dictionary>>> = {};
function loadDictionary(locale: Locale): Promise<Dictionary> {
  const ready = loaded[locale];
  if (ready) return Promise.resolve(ready);
  loading[locale] ??= import('./fr').then(({ fr }) => (loaded.fr = fr));
  return loading[locale];
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

function readStoredLocale(): Locale | null {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'fr' ? stored : null;
}

function initialLocale(): Locale {
  return readStoredLocale() ?? (navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en');
}

/** The language the app opens in; its dictionary starts loading at once, alongside the route's code. */
function openingLocale(): Locale {
  const locale = initialLocale();
  void loadDictionary(locale);
  return locale;
}

type I18nValue = {
  locale: Locale;
  /** True once the person chose a language on this device; a server-side preference must not override it. */
  hasStoredLocale: boolean;
  setLocale: (locale: Locale) => void;
  t: Translate;
  formatDate: (iso: string) => string;
};

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(openingLocale);
  const [hasStoredLocale, setHasStored] = useState(() => readStoredLocale() !== null);
  // The language on screen: one chosen before its dictionary arrives shows once it has.
  const [shown, setShown] = useState<{ locale: Locale; dictionary: Dictionary } | undefined>(() => {
    const dictionary = loaded[locale];
    return dictionary && { locale, dictionary };
  });

  useEffect(() => {
    let current = true;
    void loadDictionary(locale).then((dictionary) => {
      if (!current) return;
      setShown({ locale, dictionary });
      document.documentElement.lang = locale;
    });
    return () => {
      current = false;
    };
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    setHasStored(true);
    setLocaleState(next);
  }, []);

  const value = useMemo<I18nValue | null>(() => {
    if (!shown) return null;
    const { locale, dictionary } = shown;
    const t: Translate = (key, values) => {
      const template = dictionary[key] ?? en[key];
      return values
        ? template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`))
        : template;
    };
    return { locale, hasStoredLocale, setLocale, t, formatDate: (iso) => formatDateTime(new Date(iso), locale) };
  }, [shown, hasStoredLocale, setLocale]);

  // Nothing until the first dictionary is there (French on a first visit: one small request), rather than English
  // text replaced a moment later.
  if (!value) return null;
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18nValue {
  const context = use(I18nContext);
  if (!context) throw new Error('useI18n must be used inside <I18nProvider>');
  return context;
}

export const useT = (): Translate => useI18n().t;
