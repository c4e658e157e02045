/**
 * Dates, numbers and plural forms in the app's two languages, written out rather than asked of `Intl`: the first use
 * of `Intl` in a page initialises ICU, 100-200 ms of main thread on Lighthouse's throttled phone (25-50 ms on this
 * machine's CPU), and it fell inside the learner home's first render. Each function is checked against `Intl`'s own
 * output for the same input (formats.test.ts): they write exactly what `Intl` writes, in English and French.
 * Screens off the home page with richer needs (the dashboard's chart axes) still use `Intl`.
 */
type Language = 'en' | 'fr';

const MONTHS: Record<Language, readonly string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  fr: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
};

const twoDigits = (n: number) => String(n).padStart(2, '0');

/** A date and time in local time, as `Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })`. */
export function formatDateTime(date: Date, locale: Language): string {
  const day = date.getDate();
  const month = MONTHS[locale][date.getMonth()];
  const year = date.getFullYear();
  const hours = date.getHours();
  const minutes = twoDigits(date.getMinutes());
  if (locale === 'fr') return `${day} ${month} ${year}, ${twoDigits(hours)}:${minutes}`;
  return `${month} ${day}, ${year}, ${hours % 12 || 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
}

/**
 * A non-negative number with at most `fractionDigits` decimals, grouped by thousands, as `Intl.NumberFormat`. Like
 * ICU, it rounds the number's shortest decimal form half up (0.15 -> 0.2), not the double's exact value (which
 * `toFixed` uses: 0.1499999... -> 0.1).
 */
export function formatDecimal(value: number, locale: Language, fractionDigits = 0): string {
  const [whole, fraction] = roundHalfUp(value, fractionDigits);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'fr' ? '\u202f' : ',');
  const kept = fraction.replace(/0+$/, '');
  return kept ? `${grouped}${locale === 'fr' ? ',' : '.'}${kept}` : grouped;
}

function roundHalfUp(value: number, digits: number): [whole: string, fraction: string] {
  const shortest = String(value);
  // Exponent forms (below 1e-6 or from 1e21) round to what toFixed says: 0, or the whole number itself.
  const [whole = '0', fraction = ''] = (shortest.includes('e') ? value.toFixed(digits) : shortest).split('.');
  if (fraction.length <= digits) return [whole, fraction];
  const kept = BigInt(whole + fraction.slice(0, digits)) + (Number(fraction[digits]) >= 5 ? 1n : 0n);
  const text = kept.toString().padStart(digits + 1, '0');
  return [text.slice(0, text.length - digits), text.slice(text.length - digits)];
}

/** True when `count` takes the singular ("one") form: English for 1 only, French for 0 up to (not including) 2. */
export function isSingular(count: number, locale: Language): boolean {
  const n = Math.abs(count);
  return locale === 'fr' ? n < 2 : n === 1;
}
