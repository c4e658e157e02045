import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, toQuery } from '@/lib/api-client';
import { adminGroupKeys, groupPath } from './groups';

// TODO(schema): GET /groups/{group}/programs has no schema in @covey/schema yet; this mirrors the agreed answer.
export type GroupProgram = {
  program: { id: string; title: string; status: 'draft' | 'published' | 'archived' };
  /** Null when assigned to this group itself; else the ancestor group it is inherited from. */
  via: { id: string; name: string } | null;
};
export type GroupProgramsPage = { items: GroupProgram[]; nextCursor: string | null };

/** The programs reaching a group: assigned to it, or inherited from one of its ancestors. */
export const getGroupPrograms = ({ groupId, signal }: { groupId: string; signal?: AbortSignal }) =>
  api.get<GroupProgramsPage>(`${groupPath(groupId)}/programs${toQuery({ limit: 100 })}`, { signal });

export const getGroupProgramsQueryOptions = (groupId: string) =>
  queryOptions({
    queryKey: adminGroupKeys.programs(groupId),
    queryFn: ({ signal }) => getGroupPrograms({ groupId, signal }),
  });

export const useGroupPrograms = (groupId: string) => useQuery(getGroupProgramsQueryOptions(groupId));
