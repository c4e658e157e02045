import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '@/lib/api/query-keys';

export const userPath = (userId: string) => `/api/v1/users/${encodeURIComponent(userId)}`;

/** A mutation on one person that makes the people list stale. */
export const useUsersMutation = <TVars, TData>(mutationFn: (vars: TVars) => Promise<TData>) => {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users.all }) });
};
