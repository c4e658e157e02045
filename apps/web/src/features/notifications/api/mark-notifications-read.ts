import type { markReadBodySchema, NotificationsRead } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { getNotificationsQueryOptions } from './get-notifications';

export type MarkReadInput = z.input<typeof markReadBodySchema>;

export const markNotificationsRead = (input: MarkReadInput) => api.post<NotificationsRead>('/api/v1/me/notifications/read', input);

export const useMarkNotificationsRead = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markNotificationsRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: getNotificationsQueryOptions().queryKey }),
  });
};
