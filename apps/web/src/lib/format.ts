import { formatDecimal } from './i18n/formats';

/** A file size in the reader's language ("12 kB", "12 ko"); under a kilobyte reads as 1 kB. */
export function formatSize(bytes: number, locale: 'en' | 'fr'): string {
  const megabytes = bytes >= 1024 * 1024;
  const value = megabytes ? bytes / 1024 / 1024 : Math.max(1, Math.round(bytes / 1024));
  // As Intl.NumberFormat's short units: "12 kB" / "1.5 MB", and in French "12 ko" / "1,5 Mo" (narrow no-break space).
  const unit = locale === 'fr' ? (megabytes ? 'Mo' : 'ko') : megabytes ? 'MB' : 'kB';
  return `${formatDecimal(value, locale, megabytes ? 1 : 0)}${locale === 'fr' ? '\u202f' : ' '}${unit}`;
}
