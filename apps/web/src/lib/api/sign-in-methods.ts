import type { SignInMethods } from '@covey/schema';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from './query-keys';

// How people sign in here: the sign-in pages and the admin's settings both read it (public: no bearer token sent).

export const getSignInMethods = ({ signal }: { signal?: AbortSignal } = {}) =>
  api.get<SignInMethods>('/api/v1/auth/methods', { signal, auth: false });

export const signInMethodsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.auth.methods(),
    queryFn: ({ signal }) => getSignInMethods({ signal }),
    staleTime: 5 * 60_000,
    retry: 1,
  });

/** How people sign in here; while unknown (or if the API cannot say), the password form is the safe default. */
export const useSignInMethods = () => useQuery(signInMethodsQueryOptions());
