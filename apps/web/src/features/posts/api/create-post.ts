import type { CreatePostBody, Post } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { postSourcePath, postsKeys, type PostSource } from './get-posts';

export const createPost = ({ source, body }: { source: PostSource; body: CreatePostBody }) =>
  api.post<Post>(postSourcePath(source), body);

export const useCreatePost = (source: PostSource) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreatePostBody) => createPost({ source, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: postsKeys.list(source) }),
  });
};
