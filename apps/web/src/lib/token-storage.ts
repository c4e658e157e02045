// Tokens live in localStorage so a reload keeps the session; the API rotates the refresh token on each use.
const ACCESS_KEY = 'covey.accessToken';
const REFRESH_KEY = 'covey.refreshToken';

export type Tokens = { accessToken: string; refreshToken: string };

export const tokenStorage = {
  getAccessToken: (): string | null => localStorage.getItem(ACCESS_KEY),
  getRefreshToken: (): string | null => localStorage.getItem(REFRESH_KEY),
  set(tokens: Tokens): void {
    localStorage.setItem(ACCESS_KEY, tokens.accessToken);
    localStorage.setItem(REFRESH_KEY, tokens.refreshToken);
  },
  clear(): void {
    localStorage.removeItem(ACCESS_KEY);
    localStorage.removeItem(REFRESH_KEY);
  },
};
