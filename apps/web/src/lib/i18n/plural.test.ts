import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fr } from './fr';
import { pluralKey } from './plural';

const bases = Object.keys(en).flatMap((key) => (key.endsWith('.other') ? [key.slice(0, -'.other'.length)] : []));

describe('plural messages', () => {
  it('have a singular and a plural form in both languages, each with its count', () => {
    for (const base of bases) {
      for (const dictionary of [en, fr] as Record<string, string>[]) {
        expect(dictionary[`${base}.one`], `${base}.one`).toBeTruthy();
        expect(dictionary[`${base}.other`], `${base}.other`).toContain('{count}');
      }
    }
  });

  it('pick the English form: 1 is singular, 0 uses its own form when there is one', () => {
    expect(pluralKey('en', 'admin.willWithdraw', 1)).toBe('admin.willWithdraw.one');
    expect(pluralKey('en', 'admin.willWithdraw', 3)).toBe('admin.willWithdraw.other');
    expect(pluralKey('en', 'admin.willWithdraw', 0)).toBe('admin.willWithdraw.zero');
    expect(pluralKey('en', 'admin.subgroups.count', 0)).toBe('admin.subgroups.count.other');
  });

  it('pick the French form: 0 and 1 are singular, millions fall back to the plural', () => {
    expect(pluralKey('fr', 'admin.subgroups.count', 0)).toBe('admin.subgroups.count.one');
    expect(pluralKey('fr', 'admin.subgroups.count', 1)).toBe('admin.subgroups.count.one');
    expect(pluralKey('fr', 'admin.subgroups.count', 2)).toBe('admin.subgroups.count.other');
    expect(pluralKey('fr', 'admin.subgroups.count', 1_000_000)).toBe('admin.subgroups.count.other');
  });
});
