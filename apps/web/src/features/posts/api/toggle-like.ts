import type { Post } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { replaceCachedPost } from './get-posts';

export const likePost = (postId: string) => api.put<Post>(`/api/v1/posts/${encodeURIComponent(postId)}/like`);
export const unlikePost = (postId: string) => api.delete<Post>(`/api/v1/posts/${encodeURIComponent(postId)}/like`);

export const useToggleLike = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (post: Pick<Post, 'id' | 'likedByMe'>) => (post.likedByMe ? unlikePost(post.id) : likePost(post.id)),
    onSuccess: (updated) => replaceCachedPost(queryClient, updated),
  });
};
