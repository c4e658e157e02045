import type { digestSchema } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type DigestPreview = z.infer<typeof digestSchema>;

export const getDigestPreview = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<DigestPreview>('/api/v1/me/digest/preview', { signal });

export const getDigestPreviewQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.me.digest(), queryFn: ({ signal }) => getDigestPreview({ signal }) });

export const useDigestPreview = () => useQuery(getDigestPreviewQueryOptions());
