// Tokens live in localStorage so a reload keeps the session; the API rotates the refresh token on each use.
const ACCESS_KEY = 'covey.accessToken';
const REFRESH_KEY = 'covey.refreshToken';
// The signed-in person as `GET /me` last answered: the next visit renders at once with it while it asks again.
const PROFILE_KEY = 'covey.profile';

export type Tokens = { accessToken: string; refreshToken: string };

export const tokenStorage = {
  getAccessToken: (): string | null => localStorage.getItem(ACCESS_KEY),
  getRefreshToken: (): string | null => localStorage.getItem(REFRESH_KEY),
  set(tokens: Tokens): void {
    localStorage.setItem(ACCESS_KEY, tokens.accessToken);
    localStorage.setItem(REFRESH_KEY, tokens.refreshToken);
  },
  /** The stored profile, or null when there is none or it is not one (the caller checks its fields). */
  getProfile(): Record<string, unknown> | null {
    try {
      const value: unknown = JSON.parse(localStorage.getItem(PROFILE_KEY) ?? 'null');
      return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  },
  setProfile(profile: object): void {
    localStorage.setItem(PROFILE_KEY, JSON.stringify(profile));
  },
  clear(): void {
    localStorage.removeItem(ACCESS_KEY);
    localStorage.removeItem(REFRESH_KEY);
    localStorage.removeItem(PROFILE_KEY);
  },
};
