import type { UseQueryResult } from '@tanstack/react-query';
import { ApiError } from '@/lib/api-client';

/** Loading and error lines for a list section; renders nothing once data is there. */
export function QueryStatus({ query, what }: { query: UseQueryResult; what: string }) {
  if (query.isPending) {
    return (
      <p className="muted" role="status">
        Loading {what}…
      </p>
    );
  }
  if (query.isError) {
    const reason = query.error instanceof ApiError ? query.error.message : 'The server could not be reached.';
    return (
      <p className="form-error" role="alert">
        Could not load {what}. {reason}
      </p>
    );
  }
  return null;
}
