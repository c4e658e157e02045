import type { BulkMembershipsBody, BulkOperation } from '@covey/schema';
import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type { BulkOperation };

export const startBulkMemberships = (body: BulkMembershipsBody) => api.post<BulkOperation>('/api/v1/bulk/memberships', body);

export const useStartBulkMemberships = () => useMutation({ mutationFn: startBulkMemberships });

export const getBulkOperation = ({ id, signal }: { id: string; signal?: AbortSignal }) =>
  api.get<BulkOperation>(`/api/v1/bulk/operations/${encodeURIComponent(id)}`, { signal });

export const getBulkOperationQueryOptions = (id: string) =>
  queryOptions({ queryKey: queryKeys.bulk.operation(id), queryFn: ({ signal }) => getBulkOperation({ id, signal }) });

const running = (op: BulkOperation | undefined) => !op || op.status === 'queued' || op.status === 'running';

/** Polls the operation every second until it finishes (adding a selection of people to a group). */
export const useBulkOperation = (id: string | null) =>
  useQuery({
    ...getBulkOperationQueryOptions(id ?? ''),
    enabled: id !== null,
    refetchInterval: (query) => (running(query.state.data) ? 1000 : false),
  });
