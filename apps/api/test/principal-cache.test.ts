import { describe, expect, it } from 'vitest';
import { PrincipalCache } from '../src/lib/principal-cache.ts';

describe('principal cache', () => {
  const loader = (values: (string | null)[]) => {
    let calls = 0;
    return { load: async () => values[Math.min(calls++, values.length - 1)] ?? null, calls: () => calls };
  };

  it('serves from memory only while notifications flow', async () => {
    const cache = new PrincipalCache<string>();
    const source = loader(['v1', 'v2', 'v3']);
    expect(await cache.get('u', source.load)).toBe('v1');
    expect(await cache.get('u', source.load)).toBe('v2'); // not live: every read loads
    cache.setLive(true);
    expect(await cache.get('u', source.load)).toBe('v3');
    expect(await cache.get('u', source.load)).toBe('v3');
    expect(source.calls()).toBe(3);
    cache.setLive(false); // the listening connection dropped: start over and bypass
    expect(await cache.get('u', source.load)).toBe('v3');
    expect(source.calls()).toBe(4);
  });

  it('forgets an evicted entry, and does not keep a read that raced with an eviction', async () => {
    const cache = new PrincipalCache<string>();
    cache.setLive(true);
    expect(await cache.get('u', async () => 'old')).toBe('old');
    cache.evict('u');
    let release!: () => void;
    const slow = cache.get('u', () => new Promise<string>((r) => (release = () => r('stale'))));
    cache.evict('u'); // a change committed while the read was in flight
    release();
    expect(await slow).toBe('stale');
    expect(await cache.get('u', async () => 'fresh')).toBe('fresh');
  });

  it('expires entries and stays within its size', async () => {
    const cache = new PrincipalCache<string>(0, 2);
    cache.setLive(true);
    await cache.get('a', async () => 'a1');
    expect(await cache.get('a', async () => 'a2')).toBe('a2'); // ttl 0: expired at once
    const small = new PrincipalCache<string>(60_000, 2);
    small.setLive(true);
    for (const key of ['a', 'b', 'c']) await small.get(key, async () => key);
    expect(await small.get('a', async () => 'reloaded')).toBe('reloaded'); // the oldest went first
    expect(await small.get('c', async () => 'x')).toBe('c');
  });
});
