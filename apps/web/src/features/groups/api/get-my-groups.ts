import { useQuery } from '@tanstack/react-query';
import { getMyGroupsQueryOptions } from '@/lib/api/groups';

// One fetcher for me/groups, shared with the admin screens and the dashboard.
export { getMyGroups, getMyGroupsQueryOptions, type MyGroup, type MyGroupsPage } from '@/lib/api/groups';

export const useMyGroups = () => useQuery(getMyGroupsQueryOptions());
