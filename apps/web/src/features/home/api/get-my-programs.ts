import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

// TODO: take these from @covey/schema once it exports the `me` list schemas.
export type MyProgram = {
  program: { id: string; title: string };
  status: 'enrolled' | 'in_progress' | 'completed' | 'withdrawn';
  /** 0..100 */
  progress: number;
};
export type MyProgramsPage = { items: MyProgram[]; nextCursor: string | null };

export const getMyPrograms = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<MyProgramsPage>('/api/v1/me/programs', { signal });

export const getMyProgramsQueryOptions = () =>
  queryOptions({ queryKey: ['me', 'programs'], queryFn: ({ signal }) => getMyPrograms({ signal }) });

export const useMyPrograms = () => useQuery(getMyProgramsQueryOptions());
