import type { PageOf, Program, programSchema } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, toQuery } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type ProgramsPage = PageOf<typeof programSchema>;
type ProgramStatus = Program['status'];

export const programPath = (programId: string) => `/api/v1/programs/${encodeURIComponent(programId)}`;

/** Without `status`, every program (workspace admins); group admins may only list the published ones. */
export const getPrograms = ({ status, signal }: { status?: ProgramStatus; signal?: AbortSignal } = {}) =>
  api.get<ProgramsPage>(`/api/v1/programs${toQuery({ status, limit: 100 })}`, { signal });

export const getProgramsQueryOptions = (status?: ProgramStatus) =>
  queryOptions({ queryKey: queryKeys.programs.list(status), queryFn: ({ signal }) => getPrograms({ status, signal }) });

export const usePrograms = (status?: ProgramStatus) => useQuery(getProgramsQueryOptions(status));
