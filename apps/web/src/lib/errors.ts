import type { ErrorCode } from '@covey/schema/errors';
import { ApiError } from './api-client';
import type { MessageKey, Translate } from './i18n';

/** A problem code: the contract's, or `no_invitation`, which the web app names itself (a 404 on revoking one). */
export type ProblemCode = ErrorCode | 'no_invitation';

// The codes of the API's problem+json answers (@covey/schema/errors) mapped to words a person understands; a code
// the contract does not have is a type error here. Codes left out are said by their status.
const codeMessages: Partial<Record<ProblemCode, MessageKey>> = {
  validation_failed: 'error.validation',
  bad_request: 'error.validation',
  invalid_credentials: 'error.invalidCredentials',
  account_locked: 'error.accountLocked',
  unauthorized: 'error.sessionExpired',
  invalid_token: 'error.sessionExpired',
  forbidden: 'error.forbidden',
  not_found: 'error.notFound',
  user_not_found: 'error.userNotFound',
  group_not_found: 'error.groupNotFound',
  program_not_found: 'error.programNotFound',
  step_not_found: 'error.stepNotFound',
  file_not_found: 'error.notFound',
  email_taken: 'error.emailTaken',
  external_id_taken: 'error.externalIdTaken',
  group_has_children: 'error.groupHasChildren',
  group_cycle: 'error.groupCycle',
  step_has_completions: 'error.stepHasCompletions',
  program_has_progress: 'error.programHasProgress',
  payload_too_large: 'error.tooLarge',
  unsupported_media_type: 'error.unsupportedMedia',
  invalid_reference: 'error.invalidReference',
  not_enrolled: 'error.notEnrolled',
  program_not_open: 'error.programNotOpen',
  last_owner: 'error.lastOwner',
  rate_limited: 'error.rateLimited',
  link_expired: 'error.linkExpired',
  weak_password: 'error.weakPassword',
  already_active: 'error.alreadyActive',
  no_invitation: 'error.noInvitation',
};

const statusMessages: Record<number, MessageKey> = {
  400: 'error.validation',
  401: 'error.sessionExpired',
  403: 'error.forbidden',
  404: 'error.notFound',
  409: 'error.conflict',
  410: 'error.linkExpired',
  413: 'error.tooLarge',
  422: 'error.validation',
  429: 'error.rateLimited',
  503: 'error.unavailable',
};

export function describeError(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('error.network');
  const key = codeMessages[error.code as ProblemCode] ?? statusMessages[error.status];
  const message = key ? t(key) : t('error.unexpected');
  // Field errors say which input to fix; they come in English from the API, which beats saying nothing.
  const fields = error.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return fields ? `${message} (${fields})` : message;
}

export const isNotFound = (error: unknown): boolean => error instanceof ApiError && error.status === 404;
