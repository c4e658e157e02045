import type { CreateUserBody, User } from '@covey/schema';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/api/query-keys';

/** Without a password, the API sends the person an invitation to choose their own. */
export const createUser = (body: CreateUserBody) => api.post<User>('/api/v1/users', body);

export const useCreateUser = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users.all }),
  });
};
