import type { Program } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export const getProgram = ({ programId, signal }: { programId: string; signal?: AbortSignal }) =>
  api.get<Program>(`/api/v1/programs/${encodeURIComponent(programId)}`, { signal });

export const getProgramQueryOptions = (programId: string) =>
  queryOptions({ queryKey: queryKeys.programs.detail(programId), queryFn: ({ signal }) => getProgram({ programId, signal }) });

export const useProgram = (programId: string) => useQuery(getProgramQueryOptions(programId));
