import type { Me, patchMeBodySchema } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { getMeQueryOptions } from '@/lib/auth';

export type UpdateMeBody = z.input<typeof patchMeBodySchema>;

/** My name, password (with the current one), e-mail preference or language. */
export const updateMe = (body: UpdateMeBody) => api.patch<Me>('/api/v1/me', body);

export const useUpdateMe = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateMe,
    // The answer is the new me: the header's name and every reader of the session follow at once.
    onSuccess: (me) => queryClient.setQueryData(getMeQueryOptions().queryKey, me),
  });
};
