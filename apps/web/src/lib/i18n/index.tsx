import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { fr } from './fr';

export type Locale = 'en' | 'fr';
export const locales: readonly Locale[] = ['en', 'fr'];
/** Each language in its own words, for the pickers. */
export const languageNames: Record<Locale, string> = { en: 'English', fr: 'Français' };
export type { MessageKey };

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, fr };
const STORAGE_KEY = 'covey.locale';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

function readStoredLocale(): Locale | null {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'fr' ? stored : null;
}

function initialLocale(): Locale {
  return readStoredLocale() ?? (navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en');
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
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [hasStoredLocale, setHasStored] = useState(() => readStoredLocale() !== null);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    setHasStored(true);
    setLocaleState(next);
  }, []);

  const value = useMemo<I18nValue>(() => {
    const dictionary = dictionaries[locale];
    const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const t: Translate = (key, values) => {
      const template = dictionary[key] ?? en[key];
      return values ? template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`)) : template;
    };
    return { locale, hasStoredLocale, setLocale, t, formatDate: (iso) => dateFormat.format(new Date(iso)) };
  }, [locale, hasStoredLocale, setLocale]);

  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18nValue {
  const context = use(I18nContext);
  if (!context) throw new Error('useI18n must be used inside <I18nProvider>');
  return context;
}

export const useT = (): Translate => useI18n().t;
