import type { CreatePostBody, Post } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { postsKeys } from './get-posts';

export const createComment = ({ postId, body }: { postId: string; body: CreatePostBody }) =>
  api.post<Post>(`/api/v1/posts/${encodeURIComponent(postId)}/comments`, body);

export const useCreateComment = (postId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreatePostBody) => createComment({ postId, body }),
    // The parent's commentCount lives in the list pages, so both caches go stale.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: postsKeys.all }),
  });
};
