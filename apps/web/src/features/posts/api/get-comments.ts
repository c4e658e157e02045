import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api, toQuery } from '@/lib/api-client';
import { postsKeys, type PostsPage } from './get-posts';

export const getComments = ({ postId, cursor, signal }: { postId: string; cursor?: string; signal?: AbortSignal }) =>
  api.get<PostsPage>(`/api/v1/posts/${encodeURIComponent(postId)}/comments${toQuery({ limit: 50, cursor })}`, {
    signal,
  });

export const getCommentsQueryOptions = (postId: string) =>
  infiniteQueryOptions({
    queryKey: postsKeys.comments(postId),
    queryFn: ({ pageParam, signal }) => getComments({ postId, cursor: pageParam, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const useComments = (postId: string, { enabled }: { enabled: boolean }) =>
  useInfiniteQuery({ ...getCommentsQueryOptions(postId), enabled });
