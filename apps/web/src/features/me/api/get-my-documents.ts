import type { documentSchema, PageOf } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, requestBlob, saveBlob } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type MyDocument = z.infer<typeof documentSchema>;
export type MyDocumentsPage = PageOf<typeof documentSchema>;

/** A certificate is made by a background job seconds after the completion: ask again this often meanwhile. */
const CERTIFICATE_POLL_MS = 2_000;
/** And at most this many times, should a certificate never come. */
const CERTIFICATE_POLLS = 30;

export const getMyDocuments = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<MyDocumentsPage>('/api/v1/me/documents?limit=50', { signal });

export const getMyDocumentsQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.me.documents(), queryFn: ({ signal }) => getMyDocuments({ signal }) });

/** `completedPrograms`: how many programs I completed; fewer certificates than that means one is on its way. */
export const useMyDocuments = ({ completedPrograms }: { completedPrograms?: number } = {}) =>
  useQuery({
    ...getMyDocumentsQueryOptions(),
    refetchInterval: (query) => {
      const certificates = query.state.data?.items.filter((d) => d.kind === 'certificate').length ?? 0;
      const waiting = completedPrograms !== undefined && certificates < completedPrograms;
      return waiting && query.state.dataUpdateCount < CERTIFICATE_POLLS ? CERTIFICATE_POLL_MS : false;
    },
  });

/** Documents sit behind the bearer token, so they are fetched as a blob and handed to the browser as a file. */
export async function downloadDocument(document: MyDocument): Promise<void> {
  const { blob, filename } = await requestBlob(`/api/v1/documents/${encodeURIComponent(document.id)}`, {
    accept: document.contentType,
  });
  saveBlob(blob, filename ?? document.title);
}
