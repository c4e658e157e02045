import { problemSchema } from '@covey/schema';

const described: Record<number, string> = {
  400: 'Malformed request (problem+json with `errors[]`)',
  401: 'Missing or invalid credentials',
  403: 'Authenticated but not allowed',
  404: 'Unknown, or not visible to the caller',
  409: 'Conflict with the current state',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'A business rule is violated',
  429: 'Rate limited (see `Retry-After`)',
  503: 'A dependency is down',
};

/** Error responses of an operation, all application/problem+json. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, problemSchema.describe(described[s] ?? 'Error')]));
}

/** The errors every authenticated operation may answer. */
export const authProblems = [400, 401, 429, 503] as const;
