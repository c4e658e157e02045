import type { myProgramSchema, PageOf } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type MyProgram = z.infer<typeof myProgramSchema>;
export type MyProgramsPage = PageOf<typeof myProgramSchema>;

export const getMyPrograms = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<MyProgramsPage>('/api/v1/me/programs?limit=100', { signal });

export const getMyProgramsQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.me.programs(), queryFn: ({ signal }) => getMyPrograms({ signal }) });

export const useMyPrograms = () => useQuery(getMyProgramsQueryOptions());
