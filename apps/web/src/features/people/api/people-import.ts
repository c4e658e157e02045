import type { ImportOutcome, PeopleImport, PeopleImportRow, peopleImportRowsPageSchema } from '@covey/schema';
import type { z } from 'zod';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, requestBlob, saveBlob, toQuery } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type { ImportOutcome, PeopleImport, PeopleImportRow };

const base = '/api/v1/imports/people';
const importPath = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** Uploads the file: the API reads it and answers the dry run (nothing is written until it is applied). */
export const analysePeopleImport = (file: File) => {
  const form = new FormData();
  form.append('file', file, file.name);
  return api.post<PeopleImport>(base, form);
};

export const useAnalysePeopleImport = () => useMutation({ mutationFn: analysePeopleImport });

export const applyPeopleImport = ({ id, invite }: { id: string; invite: boolean }) =>
  api.post<PeopleImport>(`${importPath(id)}/apply`, { invite });

export const useApplyPeopleImport = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: applyPeopleImport,
    onSuccess: (applied) => queryClient.setQueryData(queryKeys.imports.people(applied.id), applied),
  });
};

const running = (i: PeopleImport | undefined) => i?.status === 'queued' || i?.status === 'running';

/** The import, polled every second while it is being applied; the people list is stale once it is done. */
export const usePeopleImport = (id: string | null) => {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: queryKeys.imports.people(id ?? ''),
    queryFn: async ({ signal }) => {
      const found = await api.get<PeopleImport>(importPath(id!), { signal });
      if (found.status === 'completed') void queryClient.invalidateQueries({ queryKey: queryKeys.users.all });
      return found;
    },
    enabled: id !== null,
    refetchInterval: (query) => (running(query.state.data) ? 1000 : false),
  });
};

const PAGE = 100;

/** The report row by row, a hundred at a time ("show more"); `version` refetches it when the results change. */
export const usePeopleImportRows = (id: string | null, outcome: ImportOutcome | undefined, version: string) =>
  useInfiniteQuery({
    queryKey: [...queryKeys.imports.rows(id ?? '', outcome), version],
    queryFn: ({ pageParam, signal }) =>
      api.get<z.infer<typeof peopleImportRowsPageSchema>>(
        `${importPath(id!)}/rows${toQuery({ limit: PAGE, outcome, cursor: pageParam })}`,
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: id !== null,
  });

/** The CSV template (behind the bearer token, so fetched then saved). */
export async function downloadPeopleTemplate() {
  const { blob } = await requestBlob(`${base}/template?example=true`, { accept: 'text/csv' });
  saveBlob(blob, 'people-template.csv');
}
