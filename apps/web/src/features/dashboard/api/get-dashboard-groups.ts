import type { GroupRole } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { isWorkspaceAdmin, useUser } from '@/lib/auth';

export type DashboardGroup = { id: string; name: string };
type MyGroupsPage = { items: { id: string; name: string; roles: GroupRole[] }[]; nextCursor: string | null };
type GroupsPage = { items: { id: string; name: string }[]; nextCursor: string | null };

// Same URL and key as the "my groups" list, so both read one cache entry.
export const getMyGroupsForDashboard = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<MyGroupsPage>('/api/v1/me/groups?limit=100', { signal });

/** Workspace admins follow every group; the API lets them read any group's stats. */
export const getAllGroups = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<GroupsPage>('/api/v1/groups?limit=100', { signal });

const followed = (page: MyGroupsPage): DashboardGroup[] =>
  page.items.filter((g) => g.roles.includes('observer') || g.roles.includes('admin')).map(({ id, name }) => ({ id, name }));

export const getMyGroupsForDashboardQueryOptions = () =>
  queryOptions({ queryKey: ['me', 'groups'], queryFn: ({ signal }) => getMyGroupsForDashboard({ signal }) });

export const getAllGroupsQueryOptions = () =>
  queryOptions({ queryKey: ['dashboard', 'groups', 'all'], queryFn: ({ signal }) => getAllGroups({ signal }) });

/** The groups the signed-in person follows: the ones they observe or administer, or all of them for admins. */
export function useDashboardGroups() {
  const user = useUser();
  const admin = isWorkspaceAdmin(user);
  // Both hooks always run in the same order; only one of them fetches.
  const all = useQuery({
    ...getAllGroupsQueryOptions(),
    enabled: admin,
    select: (page): DashboardGroup[] => page.items.map(({ id, name }) => ({ id, name })),
  });
  const mine = useQuery({ ...getMyGroupsForDashboardQueryOptions(), enabled: !admin, select: followed });
  return admin ? all : mine;
}
