import { describe, expect, it } from 'vitest';
import { formatSize } from './format';

describe('formatSize', () => {
  // French puts a narrow no-break space between number and unit.
  it('speaks the reader’s language', () => {
    expect(formatSize(12 * 1024, 'en')).toBe('12 kB');
    expect(formatSize(12 * 1024, 'fr')).toBe('12\u202fko');
    expect(formatSize(1.5 * 1024 * 1024, 'fr')).toBe('1,5\u202fMo');
  });

  it('never shows a file as 0 kB', () => {
    expect(formatSize(200, 'en')).toBe('1 kB');
  });
});
