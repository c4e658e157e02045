import type { Group } from '@covey/schema';
import { useQuery } from '@tanstack/react-query';
import { isWorkspaceAdmin, useUser } from '@/lib/auth';
import { getFlatGroupsQueryOptions, getMyGroupsQueryOptions, type MyGroupsPage } from '@/lib/api/groups';

export type ManagedGroup = { id: string; name: string };

const administered = (page: MyGroupsPage): ManagedGroup[] =>
  page.items.filter((g) => g.roles.includes('admin')).map(({ id, name }) => ({ id, name }));

/** The groups where the signed-in person holds the group admin role themselves (not the subgroups below). */
export const useGroupsIManage = () => useQuery({ ...getMyGroupsQueryOptions(), select: administered });

/** `rootId` and every group below it, read from a flat list that carries each group's `parentId`. */
export function subtreeIds(groups: readonly Pick<Group, 'id' | 'parentId'>[], rootId: string): Set<string> {
  const ids = new Set([rootId]);
  // The list is small (one page); sweeping until nothing changes needs no ordering.
  for (let grew = true; grew;) {
    grew = false;
    for (const g of groups) {
      if (g.parentId && ids.has(g.parentId) && !ids.has(g.id)) {
        ids.add(g.id);
        grew = true;
      }
    }
  }
  return ids;
}

export type AdminScope = {
  /** Workspace admins manage every group and keep the workspace-wide tools. */
  workspaceAdmin: boolean;
  /** Groups the person may edit: all of them for workspace admins, else their groups' subtrees. */
  groups: Group[];
  canManage: (groupId: string) => boolean;
};

/**
 * What the signed-in person may administer. The API decides (and answers 403/404 otherwise); this only keeps the
 * screens from offering what would fail. Group admins see their groups' subtrees in the flat group list (first page).
 */
export function useAdminScope(): { isPending: boolean; scope: AdminScope } {
  const user = useUser();
  const workspaceAdmin = isWorkspaceAdmin(user);
  const mine = useQuery({ ...getMyGroupsQueryOptions(), enabled: !workspaceAdmin, select: administered });
  const all = useQuery(getFlatGroupsQueryOptions());
  const visible = all.data?.items ?? [];
  const managed = new Set<string>();
  if (!workspaceAdmin)
    for (const root of mine.data ?? []) for (const id of subtreeIds(visible, root.id)) managed.add(id);
  const groups = workspaceAdmin ? visible : visible.filter((g) => managed.has(g.id));
  return {
    isPending: all.isPending || (!workspaceAdmin && mine.isPending),
    scope: { workspaceAdmin, groups, canManage: (groupId) => workspaceAdmin || managed.has(groupId) },
  };
}
