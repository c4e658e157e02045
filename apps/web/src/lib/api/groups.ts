import type { Group, groupSchema, myGroupSchema, PageOf } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, toQuery } from '@/lib/api-client';
import { queryKeys } from './query-keys';

// The group lists that several features read (the learner's groups, the admin screens, the dashboard): one fetcher
// per endpoint, here in the shared layer because features do not import each other.

export type GroupsPage = PageOf<typeof groupSchema>;

/**
 * One page of GET /groups: every group the caller may see, or the children of `parentId` (`root`: top level), or
 * those whose name holds `q`; with `manageable`, only those the caller may manage (the API decides: a group admin's
 * subtrees, however many groups there are); `outside` leaves a group and its subtree out.
 */
export const getGroups = ({
  parentId,
  q,
  manageable,
  outside,
  cursor,
  signal,
}: {
  parentId?: string | undefined;
  q?: string | undefined;
  manageable?: boolean | undefined;
  outside?: string | undefined;
  cursor?: string | undefined;
  signal?: AbortSignal | undefined;
}) =>
  api.get<GroupsPage>(
    `/api/v1/groups${toQuery({ parentId, q, manageable: manageable || undefined, outside, cursor, limit: 100 })}`,
    {
      signal,
    },
  );

/** Every page of the same list, up to `max` groups (a guard against walking a huge workspace). */
export async function getAllGroupPages(
  query: { parentId?: string | undefined; signal?: AbortSignal | undefined },
  max: number,
): Promise<Group[]> {
  const groups: Group[] = [];
  let cursor: string | undefined;
  do {
    const page = await getGroups({ ...query, cursor });
    groups.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && groups.length < max);
  return groups;
}

export const getChildGroupsQueryOptions = (parentId: string) =>
  queryOptions({
    queryKey: queryKeys.groups.children(parentId),
    queryFn: ({ signal }) => getGroups({ parentId, signal }),
  });

export const useChildGroups = (parentId: string, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...getChildGroupsQueryOptions(parentId), enabled });

export type { MyGroup } from '@covey/schema';
export type MyGroupsPage = PageOf<typeof myGroupSchema>;

/** The groups where the signed-in person holds a role themselves, with those roles. */
export const getMyGroups = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<MyGroupsPage>('/api/v1/me/groups?limit=100', { signal });

export const getMyGroupsQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.me.groups(), queryFn: ({ signal }) => getMyGroups({ signal }) });

export const groupPath = (groupId: string) => `/api/v1/groups/${encodeURIComponent(groupId)}`;
