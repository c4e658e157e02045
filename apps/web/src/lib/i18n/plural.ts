import { useMemo } from 'react';
import { en, type MessageKey } from './en';
import { isSingular } from './formats';
import { useI18n, type Locale } from './index';

/** A plural message is a family of keys `<base>.one`, `<base>.other` and, optionally, `<base>.zero`. */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}.other` ? Base : never }[MessageKey];

export type TranslatePlural = (base: PluralKey, count: number, values?: Record<string, string | number>) => string;

const hasKey = (key: string): key is MessageKey => Object.hasOwn(en, key);

/** The key of the form of `base` for `count` in `locale` (see usePlural). */
export function pluralKey(locale: Locale, base: PluralKey, count: number): MessageKey {
  const zero = `${base}.zero`;
  if (count === 0 && hasKey(zero)) return zero;
  const one = `${base}.one`;
  return isSingular(count, locale) && hasKey(one) ? one : (`${base}.other` as MessageKey);
}

/**
 * Picks the form for `count` with the locale's plural rules ({count} is filled in). A `.zero` form, when there is
 * one, wins for 0: "no enrollment is withdrawn" reads better than "0 enrollments are withdrawn".
 * French treats 0 and 1 as singular and English only 1 (as Intl.PluralRules, see formats.ts); forms other than
 * one (French "many" for millions) fall back to `.other`.
 */
export function usePlural(): TranslatePlural {
  const { locale, t } = useI18n();
  return useMemo(() => (base, count, values) => t(pluralKey(locale, base, count), { count, ...values }), [locale, t]);
}
