import type { notificationsPageSchema } from '@covey/schema';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, toQuery } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

export type NotificationsPage = z.infer<typeof notificationsPageSchema>;

export const getNotifications = ({ cursor, signal }: { cursor?: string; signal?: AbortSignal }) =>
  api.get<NotificationsPage>(`/api/v1/me/notifications${toQuery({ limit: 20, cursor })}`, { signal });

export const getNotificationsQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: queryKeys.me.notifications(),
    queryFn: ({ pageParam, signal }) => getNotifications({ cursor: pageParam, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // No push channel yet: the bell polls so an observer sees new activity without reloading.
    refetchInterval: 30_000,
    staleTime: 10_000,
  });

export const useNotifications = () => useInfiniteQuery(getNotificationsQueryOptions());
