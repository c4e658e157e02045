import type { myStatsSchema } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type MyStats = z.infer<typeof myStatsSchema>;

export const getMyStats = ({ signal }: { signal?: AbortSignal } = {}) => api.get<MyStats>('/api/v1/me/stats', { signal });

export const getMyStatsQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.me.stats(), queryFn: ({ signal }) => getMyStats({ signal }) });

export const useMyStats = () => useQuery(getMyStatsQueryOptions());
