import { describe, expect, it } from 'vitest';
import { safeRedirect } from './redirect';

const origin = 'https://covey.example';

describe('safeRedirect', () => {
  it('keeps a path of this app, with its query and fragment', () => {
    expect(safeRedirect('/groups/abc', origin)).toBe('/groups/abc');
    expect(safeRedirect('/dashboard?group=g1#top', origin)).toBe('/dashboard?group=g1#top');
    expect(safeRedirect('/', origin)).toBe('/');
  });

  it('falls back to home when there is no target', () => {
    expect(safeRedirect(null, origin)).toBe('/');
    expect(safeRedirect(undefined, origin)).toBe('/');
    expect(safeRedirect('', origin)).toBe('/');
  });

  it.each([
    ['//evil.example/path'],
    ['///evil.example'],
    ['/\\evil.example'],
    ['\\\\evil.example'],
    ['https://evil.example/'],
    ['http:evil.example'],
    ['javascript:alert(1)'],
    ['evil.example/path'],
    ['groups/abc'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    [' /groups'],
    ['/groups\\..\\..\\evil'],
  ])('refuses %j, which could leave the site', (target) => {
    expect(safeRedirect(target, origin)).toBe('/');
  });

  it('never lands back on a sign-in page (which would loop or show a dead link)', () => {
    expect(safeRedirect('/login', origin)).toBe('/');
    expect(safeRedirect('/login?redirectTo=/x', origin)).toBe('/');
    expect(safeRedirect('/auth/sso', origin)).toBe('/');
    expect(safeRedirect('/invite', origin)).toBe('/');
    expect(safeRedirect('/reset-password', origin)).toBe('/');
    expect(safeRedirect('/forgot-password', origin)).toBe('/');
  });

  it('normalises dot segments, staying on this site', () => {
    expect(safeRedirect('/a/../groups/x', origin)).toBe('/groups/x');
    expect(safeRedirect('/../../etc', origin)).toBe('/etc');
  });

  it('refuses an absurdly long target', () => {
    expect(safeRedirect(`/${'a'.repeat(3000)}`, origin)).toBe('/');
  });
});
