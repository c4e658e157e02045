import { describe, expect, it } from 'vitest';
import { toUserRef } from './add-member';
import { subtreeIds } from './admin-scope';

describe('subtreeIds', () => {
  // Listed children first, as a flat page may well be.
  const groups = [
    { id: 'marais', parentId: 'paris' },
    { id: 'paris', parentId: 'france' },
    { id: 'lyon', parentId: 'france' },
    { id: 'france', parentId: 'acme' },
    { id: 'belgium', parentId: 'acme' },
    { id: 'managers', parentId: null },
  ];

  it('holds the group and everything below it, whatever the order of the list', () => {
    expect([...subtreeIds(groups, 'france')].sort()).toEqual(['france', 'lyon', 'marais', 'paris']);
  });

  it('holds the group alone when it has no subgroup, or is not in the list', () => {
    expect([...subtreeIds(groups, 'belgium')]).toEqual(['belgium']);
    expect([...subtreeIds(groups, 'elsewhere')]).toEqual(['elsewhere']);
  });
});

describe('toUserRef', () => {
  it('reads an e-mail address as one, anything else as an external id', () => {
    expect(toUserRef('ana@example.com')).toBe('email:ana@example.com');
    expect(toUserRef('HR-00042')).toBe('ext:HR-00042');
    expect(toUserRef('not an@e-mail')).toBe('ext:not an@e-mail');
  });
});
