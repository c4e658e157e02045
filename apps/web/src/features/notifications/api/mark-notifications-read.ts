import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { getNotificationsQueryOptions } from './get-notifications';

export type MarkReadInput = { ids: string[] } | { all: true };

export const markNotificationsRead = (input: MarkReadInput) => api.post<unknown>('/api/v1/me/notifications/read', input);

export const useMarkNotificationsRead = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markNotificationsRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: getNotificationsQueryOptions().queryKey }),
  });
};
