import type { GroupProgram, groupProgramSchema, PageOf } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { groupPath } from '@/lib/api/groups';
import { queryKeys } from '@/lib/api/query-keys';

export type { GroupProgram };
/** `via` is null when the program is assigned to this group itself, else the ancestor it is inherited from. */
export type GroupProgramsPage = PageOf<typeof groupProgramSchema>;

/** The programs reaching a group: assigned to it, or inherited from one of its ancestors. */
export const getGroupPrograms = ({ groupId, signal }: { groupId: string; signal?: AbortSignal }) =>
  api.get<GroupProgramsPage>(`${groupPath(groupId)}/programs`, { signal });

export const getGroupProgramsQueryOptions = (groupId: string) =>
  queryOptions({
    queryKey: queryKeys.groups.programs(groupId),
    queryFn: ({ signal }) => getGroupPrograms({ groupId, signal }),
  });

export const useGroupPrograms = (groupId: string) => useQuery(getGroupProgramsQueryOptions(groupId));
