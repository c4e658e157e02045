import type { Group } from '@covey/schema';
import { api, toQuery } from '@/lib/api-client';

export type GroupsPage = { items: Group[]; nextCursor: string | null };

/** One page of GET /groups: every group the caller may see, or the children of `parentId`. */
export const getGroups = ({
  parentId,
  cursor,
  signal,
}: {
  parentId?: string | undefined;
  cursor?: string | undefined;
  signal?: AbortSignal | undefined;
}) => api.get<GroupsPage>(`/api/v1/groups${toQuery({ parentId, cursor, limit: 100 })}`, { signal });

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
