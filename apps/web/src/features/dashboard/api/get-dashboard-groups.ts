import type { GroupRole } from '@covey/schema';
import { queryOptions, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { getAllGroupPages, getMyGroupsQueryOptions } from '@/lib/api/groups';
import { queryKeys } from '@/lib/api/query-keys';
import { isWorkspaceAdmin, useUser } from '@/lib/auth';
import { toTree, type DashboardGroup, type TreeNode } from '../utils/group-tree';

export type { DashboardGroup };

// A guard, not a product limit: past it the picker lists the first groups found.
const MAX_GROUPS = 500;

const observes = (g: { roles: GroupRole[] }) => g.roles.includes('observer') || g.roles.includes('admin');

/** Whether I observe or administer any group: enough to offer the dashboard, without walking the subtrees. */
export const useFollowsAnyGroup = (enabled: boolean) =>
  useQuery({ ...getMyGroupsQueryOptions(), enabled, select: (page) => page.items.some(observes) });

/**
 * The groups I observe or administer and everything below them. Observing a group means following its subgroups,
 * so the walk goes down level by level (GET /groups?parentId), one request per group that has children.
 */
export async function getObservedSubtrees(queryClient: QueryClient, signal?: AbortSignal): Promise<DashboardGroup[]> {
  const mine = await queryClient.fetchQuery(getMyGroupsQueryOptions());
  const roots = mine.items.filter(observes);
  const found = new Map<string, TreeNode>(roots.map(({ id, name, parentId }) => [id, { id, name, parentId }]));
  // me/groups does not say which groups have children, so every root is asked once.
  let frontier = roots.map((g) => g.id);
  while (frontier.length > 0 && found.size < MAX_GROUPS) {
    const levels = await Promise.all(frontier.map((parentId) => getAllGroupPages({ parentId, signal }, MAX_GROUPS)));
    frontier = [];
    for (const child of levels.flat()) {
      // A group may already be known as a root (someone observing both France and Paris).
      if (found.has(child.id)) continue;
      found.set(child.id, { id: child.id, name: child.name, parentId: child.parentId });
      if (child.childCount > 0) frontier.push(child.id);
    }
  }
  return toTree([...found.values()]);
}

/** Workspace admins follow every group; the API lets them read any group's stats. */
export const getAllGroupsTree = async (signal?: AbortSignal): Promise<DashboardGroup[]> =>
  toTree(await getAllGroupPages({ signal }, MAX_GROUPS));

export const getObservedSubtreesQueryOptions = (queryClient: QueryClient) =>
  queryOptions({
    queryKey: queryKeys.dashboard.observedGroups(),
    queryFn: ({ signal }) => getObservedSubtrees(queryClient, signal),
  });

export const getAllGroupsTreeQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.dashboard.allGroups(), queryFn: ({ signal }) => getAllGroupsTree(signal) });

/** The groups the signed-in person follows, as a tree in depth-first order: observed subtrees, or all for admins. */
export function useDashboardGroups() {
  const user = useUser();
  const queryClient = useQueryClient();
  const admin = isWorkspaceAdmin(user);
  // Both hooks always run in the same order; only one of them fetches.
  const all = useQuery({ ...getAllGroupsTreeQueryOptions(), enabled: admin });
  const mine = useQuery({ ...getObservedSubtreesQueryOptions(queryClient), enabled: !admin });
  return admin ? all : mine;
}
