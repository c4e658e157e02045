import { describe, expect, it } from 'vitest';
import { descendantsOf, pathLabel, toTree } from './group-tree';

const acme = { id: 'a', name: 'Acme', parentId: null };
const france = { id: 'f', name: 'France', parentId: 'a' };
const paris = { id: 'p', name: 'Paris', parentId: 'f' };
const lyon = { id: 'l', name: 'Lyon', parentId: 'f' };
const marais = { id: 'm', name: 'Marais', parentId: 'p' };
const managers = { id: 'x', name: 'Managers', parentId: null };

describe('toTree', () => {
  it('orders groups depth-first, siblings by name, each with its ancestors', () => {
    const tree = toTree([marais, paris, lyon, france]);
    expect(tree.map((g) => pathLabel(g))).toEqual(['France', 'France › Lyon', 'France › Paris', 'France › Paris › Marais']);
    expect(tree[0]?.ancestors).toEqual([]);
  });

  it('starts a tree at each group whose parent is not in the list', () => {
    const tree = toTree([paris, managers, lyon]);
    expect(tree.map((g) => g.name)).toEqual(['Lyon', 'Managers', 'Paris']);
  });

  it('places a followed group under another followed group above it', () => {
    const tree = toTree([paris, acme, france]);
    expect(tree.map((g) => pathLabel(g))).toEqual(['Acme', 'Acme › France', 'Acme › France › Paris']);
  });
});

describe('descendantsOf and pathLabel', () => {
  const tree = toTree([france, paris, lyon, marais]);

  it('lists every group below one, not the group itself nor its siblings', () => {
    expect(descendantsOf(tree, 'f').map((g) => g.id)).toEqual(['l', 'p', 'm']);
    expect(descendantsOf(tree, 'p').map((g) => g.id)).toEqual(['m']);
    expect(descendantsOf(tree, 'l')).toEqual([]);
  });

  it('labels a group from below one of its ancestors', () => {
    const found = tree.find((g) => g.id === 'm');
    expect(found && pathLabel(found, 'f')).toBe('Paris › Marais');
  });
});
