import { tokenStorage, type Tokens } from './token-storage';

/** An RFC 9457 problem+json answer (or a transport failure) turned into something the UI can branch on. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: { field: string; message: string }[];

  constructor(init: {
    status: number;
    code: string;
    title: string;
    detail?: string | undefined;
    errors?: { field: string; message: string }[];
  }) {
    super(init.detail ?? init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
  }
}

type Problem = { title?: unknown; detail?: unknown; code?: unknown; errors?: unknown };

async function toApiError(response: Response): Promise<ApiError> {
  let problem: Problem = {};
  if (/json/.test(response.headers.get('content-type') ?? '')) {
    problem = ((await response.json().catch(() => ({}))) ?? {}) as Problem;
  }
  return new ApiError({
    status: response.status,
    code: typeof problem.code === 'string' ? problem.code : `http_${response.status}`,
    title: typeof problem.title === 'string' ? problem.title : response.statusText || 'Request failed',
    detail: typeof problem.detail === 'string' ? problem.detail : undefined,
    errors: Array.isArray(problem.errors) ? (problem.errors as { field: string; message: string }[]) : [],
  });
}

// Called when the session cannot be renewed, so the auth context can drop the user and show the login page.
const sessionExpiredListeners = new Set<() => void>();
export function onSessionExpired(listener: () => void): () => void {
  sessionExpiredListeners.add(listener);
  return () => sessionExpiredListeners.delete(listener);
}

// Concurrent 401s share one refresh call: refresh tokens rotate, so a second call with the old one would fail.
let refreshing: Promise<boolean> | null = null;

function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = tokenStorage.getRefreshToken();
    if (!refreshToken) return false;
    try {
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      if (!response.ok) return false;
      tokenStorage.set((await response.json()) as Tokens);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Send the bearer token and renew it on 401. Off for the auth endpoints themselves. */
  auth?: boolean;
};

function send(
  path: string,
  { method = 'GET', body, signal, auth = true }: RequestOptions,
  accept = 'application/json, application/problem+json',
): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  // FormData sets its own multipart boundary, so only JSON bodies get an explicit content type.
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  const accessToken = auth ? tokenStorage.getAccessToken() : null;
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const payload = body === undefined ? undefined : isForm ? body : JSON.stringify(body);
  return fetch(path, { method, headers, body: payload, signal });
}

async function sendWithRefresh(path: string, options: RequestOptions, accept?: string): Promise<Response> {
  let response = await send(path, options, accept);

  if (response.status === 401 && options.auth !== false && tokenStorage.getRefreshToken()) {
    if (await refreshSession()) {
      response = await send(path, options, accept);
    } else {
      tokenStorage.clear();
      sessionExpiredListeners.forEach((listener) => listener());
    }
  }

  if (!response.ok) throw await toApiError(response);
  return response;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await sendWithRefresh(path, options);
  if (response.status === 204) return undefined as T;
  // A 202 Accepted may come with no body at all.
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A file behind the bearer token (documents, CSV exports): a plain link cannot send the Authorization header. */
export async function requestBlob(
  path: string,
  { accept = '*/*', signal }: { accept?: string; signal?: AbortSignal } = {},
): Promise<{ blob: Blob; filename: string | null }> {
  const response = await sendWithRefresh(path, { method: 'GET', signal }, `${accept}, application/problem+json`);
  const disposition = response.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return { blob: await response.blob(), filename: match?.[1] ? decodeURIComponent(match[1]) : null };
}

/** Hands a downloaded blob to the browser as a file save. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'DELETE' }),
};

/** Builds `?a=1&b=2` from the defined values only. */
export function toQuery(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
