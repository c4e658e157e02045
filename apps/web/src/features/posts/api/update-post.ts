import type { Post } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { replaceCachedPost } from './get-posts';

/** Edits the Markdown of my post or comment (attachments stay as they are). */
export const updatePost = ({ postId, body }: { postId: string; body: string }) =>
  api.patch<Post>(`/api/v1/posts/${encodeURIComponent(postId)}`, { body });

export const useUpdatePost = (postId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => updatePost({ postId, body }),
    onSuccess: (updated) => replaceCachedPost(queryClient, updated),
  });
};
