import type { mailSchema, PageOf } from '@covey/schema';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type Mail = z.infer<typeof mailSchema>;
export type MailboxPage = PageOf<typeof mailSchema>;

export const getMailbox = ({ to, cursor, signal }: { to?: string; cursor?: string; signal?: AbortSignal }) =>
  api.get<MailboxPage>(`/api/v1/admin/mailbox${toQuery({ to, cursor, limit: 25 })}`, { signal });

export const getMailboxQueryOptions = (to?: string) =>
  infiniteQueryOptions({
    queryKey: queryKeys.admin.mailbox(to ?? ''),
    queryFn: ({ pageParam, signal }) => getMailbox({ to, cursor: pageParam, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const useMailbox = (to?: string) => useInfiniteQuery(getMailboxQueryOptions(to));
