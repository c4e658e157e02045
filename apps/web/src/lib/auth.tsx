import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { PageLoading } from '@/components/ui/page-loading';
import { paths } from '@/config/paths';
import { api, onSessionExpired } from './api-client';
import { queryKeys } from './api/query-keys';
import { tokenStorage } from './token-storage';

import type { LoginBody, Me, Session } from '@covey/schema';

export type AuthUser = Me;
export type LoginInput = LoginBody;
type LoginResponse = Session;

/** Owners and admins manage the workspace; the API enforces it, the UI only hides what would fail. */
export const isWorkspaceAdmin = (user: Pick<Me, 'role'>): boolean => user.role === 'owner' || user.role === 'admin';

export const getMe = ({ signal }: { signal?: AbortSignal } = {}) => api.get<AuthUser>('/api/v1/me', { signal });

export const getMeQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.me.profile(), queryFn: ({ signal }) => getMe({ signal }) });

/** The stored profile when it has the fields the app reads before `GET /me` answers again. */
function storedProfile(): AuthUser | undefined {
  const profile = tokenStorage.getProfile();
  const text = (key: string) => typeof profile?.[key] === 'string';
  return profile && text('id') && text('email') && text('firstName') && text('lastName') && text('role')
    ? (profile as AuthUser)
    : undefined;
}

type AuthStatus = 'loading' | 'authenticated' | 'anonymous';
type AuthContextValue = {
  user: AuthUser | null;
  status: AuthStatus;
  login: (input: LoginInput) => Promise<AuthUser>;
  /** Keeps a session the API handed over another way (an accepted invitation, a reset, a single sign-on). */
  startSession: (session: Session) => AuthUser;
  logout: () => Promise<void>;
};

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [hasSession, setHasSession] = useState(() => tokenStorage.getAccessToken() !== null);
  // A returning visit renders at once with the profile `GET /me` gave last time on this device (kept with the
  // tokens, removed with them), and asks again at once: the first screen does not wait for that round trip.
  const me = useQuery({
    ...getMeQueryOptions(),
    enabled: hasSession,
    initialData: () => (hasSession ? storedProfile() : undefined),
    initialDataUpdatedAt: 0,
  });
  useEffect(() => {
    if (hasSession && me.data) tokenStorage.setProfile(me.data);
  }, [hasSession, me.data]);

  const endSession = useCallback(() => {
    tokenStorage.clear();
    setHasSession(false);
    queryClient.clear();
  }, [queryClient]);

  useEffect(() => onSessionExpired(endSession), [endSession]);

  const startSession = useCallback(
    (session: Session) => {
      // Someone else was signed in on this device: nothing of theirs may show to the new person.
      const previous = queryClient.getQueryData<AuthUser>(getMeQueryOptions().queryKey);
      if (previous && previous.id !== session.user.id) queryClient.clear();
      tokenStorage.set(session);
      queryClient.setQueryData(getMeQueryOptions().queryKey, session.user);
      setHasSession(true);
      return session.user;
    },
    [queryClient],
  );

  const login = useCallback(
    async (input: LoginInput) =>
      startSession(await api.post<LoginResponse>('/api/v1/auth/login', input, { auth: false })),
    [startSession],
  );

  const logout = useCallback(async () => {
    const refreshToken = tokenStorage.getRefreshToken();
    // Revoking server-side is best effort: the local session ends either way.
    if (refreshToken) await api.post('/api/v1/auth/logout', { refreshToken }).catch(() => undefined);
    endSession();
  }, [endSession]);

  const user = hasSession ? (me.data ?? null) : null;
  const status: AuthStatus = user ? 'authenticated' : hasSession && me.isPending ? 'loading' : 'anonymous';
  const value = useMemo(
    () => ({ user, status, login, startSession, logout }),
    [user, status, login, startSession, logout],
  );

  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const context = use(AuthContext);
  if (!context) throw new Error('useAuth must be used inside <AuthProvider>');
  return context;
}

/** Like useAuth, for screens that only render behind <ProtectedRoute>. */
export function useUser(): AuthUser {
  const { user } = useAuth();
  if (!user) throw new Error('useUser needs an authenticated user; wrap the route in <ProtectedRoute>');
  return user;
}

export function ProtectedRoute({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();

  if (status === 'loading') return <PageLoading />;
  if (status === 'anonymous') {
    const here = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={paths.auth.login.getHref(here === paths.home.path ? null : here)} replace />;
  }
  return children;
}
