import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { postsKeys } from './get-posts';

/** Deletes my post or comment, or another's as a moderator (the API says which through `canDelete`). */
export const deletePost = (postId: string) => api.delete<void>(`/api/v1/posts/${encodeURIComponent(postId)}`);

export const useDeletePost = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deletePost,
    // A deleted comment also changes its post's commentCount: every thread goes stale.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: postsKeys.all }),
  });
};
