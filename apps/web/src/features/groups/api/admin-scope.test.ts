import { describe, expect, it } from 'vitest';
import { toUserRef } from './add-member';
import { parentChoice } from './admin-scope';

describe('parentChoice', () => {
  // What the API says of the group (`canDelete`): for a group admin, it is strictly inside their subtree.
  const inside = { id: 'paris', canDelete: true };
  const theirOwn = { id: 'france', canDelete: false };

  it('lets workspace admins place a group anywhere but inside itself, the top level included', () => {
    expect(parentChoice(true)).toEqual({ allowTopLevel: true });
    expect(parentChoice(true, theirOwn)).toEqual({ allowTopLevel: true, outside: 'france' });
  });

  it('lets group admins place a new group, or move one inside their subtree, under a group they manage only', () => {
    expect(parentChoice(false)).toEqual({ allowTopLevel: false });
    expect(parentChoice(false, inside)).toEqual({ allowTopLevel: false, outside: 'paris' });
  });

  it('keeps the group a person was made admin of where it is', () => {
    expect(parentChoice(false, theirOwn)).toBeNull();
  });
});

describe('toUserRef', () => {
  it('reads an e-mail address as one, anything else as an external id', () => {
    expect(toUserRef('ana@example.com')).toBe('email:ana@example.com');
    expect(toUserRef('HR-00042')).toBe('ext:HR-00042');
    expect(toUserRef('not an@e-mail')).toBe('ext:not an@e-mail');
  });
});
