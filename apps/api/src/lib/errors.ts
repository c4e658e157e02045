import type { ErrorCode as ContractErrorCode } from '@covey/schema/errors';

/** Every error the API answers on purpose: a stable code (the contract's list, exactly), an HTTP status, and words for a person. */
export const errorStatus = {
  validation_failed: 400,
  bad_request: 400,
  invalid_cursor: 400,
  /** A webhook URL that does not reach a public address (SSRF). */
  webhook_target_refused: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  invalid_token: 401,
  account_locked: 401,
  forbidden: 403,
  not_found: 404,
  user_not_found: 404,
  group_not_found: 404,
  program_not_found: 404,
  step_not_found: 404,
  file_not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  already_active: 409,
  email_taken: 409,
  external_id_taken: 409,
  group_has_children: 409,
  step_has_completions: 409,
  program_has_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  group_cycle: 422,
  invalid_reference: 422,
  not_enrolled: 422,
  program_not_open: 422,
  last_owner: 422,
  weak_password: 422,
  link_expired: 410,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<ContractErrorCode, number>;

export type ErrorCode = keyof typeof errorStatus;
export type FieldError = { field: string; message: string };

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
}

export const notFound = (code: ErrorCode, what: string) => new AppError(code, `${what} was not found.`);
export const forbidden = (detail = 'You are not allowed to do this.') => new AppError('forbidden', detail);
