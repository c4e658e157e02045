import type { groupStatsSchema } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type GroupStats = z.infer<typeof groupStatsSchema>;

export const getGroupStats = ({ groupId, signal }: { groupId: string; signal?: AbortSignal }) =>
  api.get<GroupStats>(`/api/v1/groups/${encodeURIComponent(groupId)}/stats`, { signal });

export const getGroupStatsQueryOptions = (groupId: string) =>
  queryOptions({ queryKey: queryKeys.stats.group(groupId), queryFn: ({ signal }) => getGroupStats({ groupId, signal }) });

export const useGroupStats = (groupId: string) => useQuery(getGroupStatsQueryOptions(groupId));
