import type { documentSchema } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, requestBlob, saveBlob } from '@/lib/api-client';

export type MyDocument = z.infer<typeof documentSchema>;
export type MyDocumentsPage = { items: MyDocument[]; nextCursor: string | null };

export const getMyDocuments = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<MyDocumentsPage>('/api/v1/me/documents?limit=50', { signal });

export const getMyDocumentsQueryOptions = () =>
  queryOptions({ queryKey: ['me', 'documents'], queryFn: ({ signal }) => getMyDocuments({ signal }) });

export const useMyDocuments = () => useQuery(getMyDocumentsQueryOptions());

/** Documents sit behind the bearer token, so they are fetched as a blob and handed to the browser as a file. */
export async function downloadDocument(document: MyDocument): Promise<void> {
  const { blob, filename } = await requestBlob(`/api/v1/documents/${encodeURIComponent(document.id)}`, {
    accept: document.contentType,
  });
  saveBlob(blob, filename ?? document.title);
}
