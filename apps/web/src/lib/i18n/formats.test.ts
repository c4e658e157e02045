import { describe, expect, it } from 'vitest';
import { formatSize } from '../format';
import { formatDateTime, formatDecimal, isSingular } from './formats';

const languages = ['en', 'fr'] as const;

/** A deterministic spread of inputs (no Math.random: a failure names its input and reproduces). */
function* spread(count: number, seed: number) {
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    yield x / 2 ** 31;
  }
}

describe('formats written out for the home page say what Intl says', () => {
  it('dates and times: every month, every hour, midnight and noon, in local time', () => {
    for (const locale of languages) {
      const intl = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
      const dates = [new Date(2026, 0, 1, 0, 0), new Date(2026, 11, 31, 12, 0), new Date(1999, 1, 28, 23, 59)];
      for (let month = 0; month < 12; month++)
        for (let hour = 0; hour < 24; hour++) dates.push(new Date(2026, month, 1 + ((hour * 7) % 28), hour, hour * 2));
      for (const r of spread(2_000, 7)) dates.push(new Date(Date.UTC(2000, 0, 1) + r * 40 * 365 * 86_400_000));
      for (const date of dates) expect(formatDateTime(date, locale), date.toISOString()).toBe(intl.format(date));
    }
  });

  it('numbers: grouping by thousands and rounding to the decimals asked, halves included', () => {
    for (const locale of languages) {
      for (const digits of [0, 1, 2]) {
        const intl = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
        const values = [0, 0.05, 0.15, 0.25, 1.05, 2.5, 999.95, 1_000, 1_234.5, 999_999.99, 12_345_678.25, 1e9];
        for (const r of spread(3_000, 11 + digits)) values.push(Math.round(r * 10 ** ((2 + r * 9) | 0)) / 100);
        for (const value of values) expect(formatDecimal(value, locale, digits), `${value}`).toBe(intl.format(value));
      }
    }
  });

  it('file sizes in kB and MB', () => {
    for (const locale of languages) {
      for (const bytes of [
        0,
        200,
        1_024,
        500_000,
        1_048_575,
        1_048_576,
        1_572_864,
        123_456_789,
        5e9,
        ...[...spread(2_000, 3)].map((r) => Math.round(r * 2e9)),
      ]) {
        const megabytes = bytes >= 1_048_576;
        const intl = new Intl.NumberFormat(locale, {
          style: 'unit',
          unit: megabytes ? 'megabyte' : 'kilobyte',
          unitDisplay: 'short',
          maximumFractionDigits: megabytes ? 1 : 0,
        });
        const value = megabytes ? bytes / 1_048_576 : Math.max(1, Math.round(bytes / 1_024));
        expect(formatSize(bytes, locale), `${bytes}`).toBe(intl.format(value));
      }
    }
  });

  it('the singular form: as Intl.PluralRules picks "one"', () => {
    for (const locale of languages) {
      const rules = new Intl.PluralRules(locale);
      for (const count of [0, 1, 2, 1.5, 0.5, 1_000_000, ...Array.from({ length: 1_000 }, (_, i) => i)])
        expect(isSingular(count, locale), `${count}`).toBe(rules.select(count) === 'one');
    }
  });
});
