import type { Group } from '@covey/schema';
import { useQuery } from '@tanstack/react-query';
import { getMyGroupsQueryOptions, type MyGroupsPage } from '@/lib/api/groups';

export type ManagedGroup = { id: string; name: string };

const administered = (page: MyGroupsPage): ManagedGroup[] =>
  page.items.filter((g) => g.roles.includes('admin')).map(({ id, name }) => ({ id, name }));

/** The groups where the signed-in person holds the group admin role themselves (not the subgroups below). */
export const useGroupsIManage = () => useQuery({ ...getMyGroupsQueryOptions(), select: administered });

/**
 * Where a group may be placed: `null` hides the choice; else the top level (workspace admins only) or a group the
 * person manages, outside the group's own subtree. The parent picker asks the API for those (`manageable=true`,
 * `outside`), so it holds however many groups there are.
 */
export type ParentChoice = { allowTopLevel: boolean; outside?: string } | null;

/**
 * Workspace admins place a group anywhere; group admins only inside the subtrees they manage. The group a person was
 * made admin of stays where it is: moving it takes an admin of its parent too, which is what deleting it takes as well
 * (`canDelete`, from the API: for a group admin, the group is strictly inside their subtree).
 */
export function parentChoice(workspaceAdmin: boolean, group?: Pick<Group, 'id' | 'canDelete'>): ParentChoice {
  const outside = group ? { outside: group.id } : {};
  if (workspaceAdmin) return { allowTopLevel: true, ...outside };
  if (group && !group.canDelete) return null;
  return { allowTopLevel: false, ...outside };
}
