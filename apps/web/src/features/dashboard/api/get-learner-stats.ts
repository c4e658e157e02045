import type {
  learnerSegmentSchema,
  learnerSortSchema,
  learnerStatsQuerySchema,
  learnerStatsRowSchema,
  PageOf,
} from '@covey/schema';
import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, requestBlob, saveBlob, toQuery } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type LearnerRow = z.infer<typeof learnerStatsRowSchema>;
export type LearnerSegment = z.infer<typeof learnerSegmentSchema>;
export type LearnerSort = z.infer<typeof learnerSortSchema>;
type LearnersQuery = z.infer<typeof learnerStatsQuerySchema>;
/** What the table filters and sorts by: the query without its paging. */
export type LearnersFilter = Partial<Pick<LearnersQuery, 'segment' | 'programId'>> & Pick<LearnersQuery, 'sort' | 'order'>;
export type LearnersPage = PageOf<typeof learnerStatsRowSchema>;

const PAGE_SIZE = 25;
const learnersPath = (groupId: string) => `/api/v1/groups/${encodeURIComponent(groupId)}/stats/learners`;

export const getLearnerStats = ({
  groupId,
  filter,
  cursor,
  signal,
}: {
  groupId: string;
  filter: LearnersFilter;
  cursor?: string | undefined;
  signal?: AbortSignal;
}) => api.get<LearnersPage>(`${learnersPath(groupId)}${toQuery({ ...filter, limit: PAGE_SIZE, cursor })}`, { signal });

export const getLearnerStatsQueryOptions = (groupId: string, filter: LearnersFilter) =>
  infiniteQueryOptions({
    queryKey: queryKeys.stats.learners(groupId, filter),
    queryFn: ({ pageParam, signal }) => getLearnerStats({ groupId, filter, cursor: pageParam, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const useLearnerStats = (groupId: string, filter: LearnersFilter) =>
  useInfiniteQuery({ ...getLearnerStatsQueryOptions(groupId, filter), placeholderData: keepPreviousData });

/** The same list as CSV (every row, not only the loaded pages), saved as a file. */
export async function exportLearnersCsv(groupId: string, filter: LearnersFilter): Promise<void> {
  const { segment, programId, sort, order } = filter;
  const { blob, filename } = await requestBlob(`${learnersPath(groupId)}${toQuery({ segment, programId, sort, order })}`, {
    accept: 'text/csv',
  });
  saveBlob(blob, filename ?? 'learners.csv');
}
