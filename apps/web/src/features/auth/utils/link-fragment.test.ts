import { describe, expect, it } from 'vitest';
import { readFragment, readLinkToken, readSsoHandOff } from './link-fragment';

const origin = 'https://covey.example';

describe('readFragment', () => {
  it('reads the pairs with or without the leading #', () => {
    expect(readFragment('#a=1&b=two').get('b')).toBe('two');
    expect(readFragment('a=1').get('a')).toBe('1');
    expect([...readFragment('').keys()]).toEqual([]);
    expect([...readFragment('#').keys()]).toEqual([]);
  });

  it('decodes percent-encoded values', () => {
    expect(readFragment('#redirectTo=%2Fgroups%2Fg1%3Ftab%3D2').get('redirectTo')).toBe('/groups/g1?tab=2');
  });
});

describe('readLinkToken', () => {
  it('returns the token of an invitation or reset link', () => {
    expect(readLinkToken('#token=abc_DEF-123')).toBe('abc_DEF-123');
    expect(readLinkToken('#foo=1&token=t0k.en~')).toBe('t0k.en~');
  });

  it('returns null when the link has no usable token', () => {
    expect(readLinkToken('')).toBeNull();
    expect(readLinkToken('#')).toBeNull();
    expect(readLinkToken('#token=')).toBeNull();
    expect(readLinkToken('#tok=abc')).toBeNull();
    expect(readLinkToken('#token=a%20b')).toBeNull();
    expect(readLinkToken('#token=%3Cscript%3E')).toBeNull();
    expect(readLinkToken(`#token=${'a'.repeat(600)}`)).toBeNull();
  });

  it('ignores a token sent in the query string instead of the fragment', () => {
    expect(readLinkToken('?token=abc')).toBeNull();
  });
});

describe('readSsoHandOff', () => {
  it('returns the refresh token and the target path', () => {
    expect(readSsoHandOff('#refreshToken=r3fr3sh_T-k&redirectTo=%2Fgroups%2Fg1', origin)).toEqual({
      refreshToken: 'r3fr3sh_T-k',
      redirectTo: '/groups/g1',
    });
  });

  it('goes home when there is no target, or one that would leave the site', () => {
    expect(readSsoHandOff('#refreshToken=abc', origin)?.redirectTo).toBe('/');
    expect(readSsoHandOff('#refreshToken=abc&redirectTo=%2F%2Fevil.example', origin)?.redirectTo).toBe('/');
    expect(readSsoHandOff('#refreshToken=abc&redirectTo=https%3A%2F%2Fevil.example', origin)?.redirectTo).toBe('/');
    expect(readSsoHandOff('#refreshToken=abc&redirectTo=%2F%5Cevil.example', origin)?.redirectTo).toBe('/');
  });

  it('returns null without a well-formed refresh token', () => {
    expect(readSsoHandOff('', origin)).toBeNull();
    expect(readSsoHandOff('#redirectTo=%2F', origin)).toBeNull();
    expect(readSsoHandOff('#refreshToken=', origin)).toBeNull();
    expect(readSsoHandOff('#refreshToken=a%20b', origin)).toBeNull();
  });
});
