import { describe, expect, it } from 'vitest';
import { settledWithin } from './settled-within';

const after = <T>(ms: number, value: T, fail = false) =>
  new Promise<T>((resolve, reject) => setTimeout(() => (fail ? reject(new Error('no')) : resolve(value)), ms));

describe('settledWithin', () => {
  it('resolves when every promise has settled, failures included', async () => {
    const started = Date.now();
    await expect(settledWithin([after(20, 1), after(40, 2, true)], 1_000)).resolves.toBeUndefined();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(35);
    expect(elapsed).toBeLessThan(900);
  });

  it('stops waiting at the deadline when one promise is slow', async () => {
    let slowDone = false;
    const slow = after(2_000, 'slow').then(() => {
      slowDone = true;
    });
    const started = Date.now();
    await settledWithin([after(10, 'fast'), slow], 100);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(slowDone).toBe(false);
  });

  it('resolves at once for nothing to wait for', async () => {
    const started = Date.now();
    await settledWithin([], 5_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
