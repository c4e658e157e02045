import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fr } from './fr';

// English is the reference: its keys are the MessageKey type. Every other language must say all of it.
const reference: Record<string, string> = en;
const others: Record<string, Record<string, string>> = { fr };

/**
 * The placeholders a message fills in. A singular or zero form may write its number out ("1 subgroup") where another
 * language needs `{count}` (French says "0 sous-groupe" with the singular), so `count` is not compared there.
 */
const placeholders = (key: string, text: string) =>
  [...text.matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1])
    .filter((name) => !(name === 'count' && /\.(one|zero)$/.test(key)))
    .sort()
    .join();

describe.each(Object.entries(others))('the %s dictionary', (_locale, dictionary) => {
  it('has every key of the reference, each with words', () => {
    const missing = Object.keys(reference).filter((key) => !dictionary[key]?.trim());
    expect(missing).toEqual([]);
  });

  it('has no key the reference lacks (a leftover of a renamed message)', () => {
    expect(Object.keys(dictionary).filter((key) => !Object.hasOwn(reference, key))).toEqual([]);
  });

  it('fills in the same placeholders as the reference', () => {
    const differing = Object.entries(reference)
      .filter(([key, text]) => placeholders(key, text) !== placeholders(key, dictionary[key] ?? ''))
      .map(([key]) => key);
    expect(differing).toEqual([]);
  });
});

describe('the reference dictionary', () => {
  it('has words for every key', () => {
    expect(Object.entries(reference).filter(([, text]) => !text.trim())).toEqual([]);
  });
});
