import { QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '@/lib/api-client';
import { pathLabel } from '../utils/group-tree';
import { getObservedSubtrees } from './get-dashboard-groups';

vi.mock('@/lib/api-client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/api-client')>()),
  api: { get: vi.fn() },
}));

// A workspace: Acme > France > (Paris > Marais, Lyon); Managers on its own.
const group = (id: string, name: string, parentId: string | null, childCount = 0) => ({ id, name, parentId, childCount });
const children: Record<string, ReturnType<typeof group>[]> = {
  a: [group('f', 'France', 'a', 2)],
  f: [group('p', 'Paris', 'f', 1), group('l', 'Lyon', 'f')],
  p: [group('m', 'Marais', 'p')],
};

function answer(roles: Record<string, { name: string; parentId: string | null; roles: string[] }>) {
  vi.mocked(api.get).mockImplementation(async (url: string) => {
    if (url.startsWith('/api/v1/me/groups'))
      return { items: Object.entries(roles).map(([id, g]) => ({ id, ...g })), nextCursor: null };
    const parentId = new URL(url, 'http://x').searchParams.get('parentId') ?? '';
    return { items: children[parentId] ?? [], nextCursor: null };
  });
}

const childRequests = () =>
  vi.mocked(api.get).mock.calls.map(([url]) => new URL(url, 'http://x').searchParams.get('parentId')).filter(Boolean);

describe('getObservedSubtrees', () => {
  beforeEach(() => {
    vi.mocked(api.get).mockReset();
  });

  it('walks down from each observed group, asking only groups that have children', async () => {
    answer({
      f: { name: 'France', parentId: 'a', roles: ['observer'] },
      x: { name: 'Managers', parentId: null, roles: ['learner'] },
    });
    const tree = await getObservedSubtrees(new QueryClient());
    expect(tree.map((g) => pathLabel(g))).toEqual(['France', 'France › Lyon', 'France › Paris', 'France › Paris › Marais']);
    expect(childRequests().sort()).toEqual(['f', 'p']);
  });

  it('lists a group observed twice (directly and through an ancestor) once, under its parent', async () => {
    answer({
      a: { name: 'Acme', parentId: null, roles: ['observer'] },
      p: { name: 'Paris', parentId: 'f', roles: ['admin'] },
    });
    const tree = await getObservedSubtrees(new QueryClient());
    expect(tree.map((g) => pathLabel(g))).toEqual([
      'Acme',
      'Acme › France',
      'Acme › France › Lyon',
      'Acme › France › Paris',
      'Acme › France › Paris › Marais',
    ]);
  });

  it('follows nobody for a plain learner, without asking for children', async () => {
    answer({ x: { name: 'Managers', parentId: null, roles: ['learner'] } });
    expect(await getObservedSubtrees(new QueryClient())).toEqual([]);
    expect(childRequests()).toEqual([]);
  });
});
