import type { PageOf, Post, postSchema } from '@covey/schema';
import { infiniteQueryOptions, useInfiniteQuery, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api, toQuery } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

/** Where a thread lives: the public feed, a group's private feed, or a program's comments. */
export type PostSource = { kind: 'feed' } | { kind: 'group'; groupId: string } | { kind: 'program'; programId: string };
export type PostsPage = PageOf<typeof postSchema>;

export const postSourcePath = (source: PostSource): string => {
  switch (source.kind) {
    case 'feed':
      return '/api/v1/feed';
    case 'group':
      return `/api/v1/groups/${encodeURIComponent(source.groupId)}/posts`;
    case 'program':
      return `/api/v1/programs/${encodeURIComponent(source.programId)}/comments`;
  }
};

const sourceKey = (source: PostSource) =>
  source.kind === 'feed' ? ['feed'] : source.kind === 'group' ? ['group', source.groupId] : ['program', source.programId];

export const postsKeys = {
  all: queryKeys.posts.all,
  list: (source: PostSource) => queryKeys.posts.list(sourceKey(source)),
  comments: queryKeys.posts.comments,
};

export const getPosts = ({ source, cursor, signal }: { source: PostSource; cursor?: string; signal?: AbortSignal }) =>
  api.get<PostsPage>(`${postSourcePath(source)}${toQuery({ limit: 20, cursor })}`, { signal });

export const getPostsQueryOptions = (source: PostSource) =>
  infiniteQueryOptions({
    queryKey: postsKeys.list(source),
    queryFn: ({ pageParam, signal }) => getPosts({ source, cursor: pageParam, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const usePosts = (source: PostSource) => useInfiniteQuery(getPostsQueryOptions(source));

/** Puts an updated post (an answer of the API) in place in every cached thread, instead of refetching them all. */
export const replaceCachedPost = (queryClient: QueryClient, updated: Post) =>
  queryClient.setQueriesData<InfiniteData<PostsPage>>({ queryKey: postsKeys.all }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((p) => ({ ...p, items: p.items.map((item) => (item.id === updated.id ? updated : item)) })),
        }
      : data,
  );
