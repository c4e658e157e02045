import type { Post } from '@covey/schema';
import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { postsKeys, type PostsPage } from './get-posts';

export const likePost = (postId: string) => api.put<Post>(`/api/v1/posts/${encodeURIComponent(postId)}/like`);
export const unlikePost = (postId: string) => api.delete<Post>(`/api/v1/posts/${encodeURIComponent(postId)}/like`);

export const useToggleLike = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (post: Pick<Post, 'id' | 'likedByMe'>) => (post.likedByMe ? unlikePost(post.id) : likePost(post.id)),
    // The answer is the updated post: patch it in place in every cached thread instead of refetching them all.
    onSuccess: (updated) =>
      queryClient.setQueriesData<InfiniteData<PostsPage>>({ queryKey: postsKeys.all }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((p) => ({
                ...p,
                items: p.items.map((item) => (item.id === updated.id ? updated : item)),
              })),
            }
          : data,
      ),
  });
};
