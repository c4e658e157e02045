import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client';
import { describeError, isNotFound } from './errors';
import { en } from './i18n/en';
import type { Translate } from './i18n';

// The English dictionary itself: the mapping is checked against the words a person would read.
const t: Translate = (key, values) =>
  values ? en[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name])) : en[key];

const problem = (status: number, code: string, errors?: { field: string; message: string }[]) =>
  new ApiError({ status, code, title: 'Problem', errors });

describe('describeError', () => {
  it('says what the problem code means, before what its status would say', () => {
    expect(describeError(problem(404, 'group_not_found'), t)).toBe(en['error.groupNotFound']);
    expect(describeError(problem(409, 'email_taken'), t)).toBe(en['error.emailTaken']);
    expect(describeError(problem(409, 'group_has_children'), t)).toBe(en['error.groupHasChildren']);
    expect(describeError(problem(401, 'invalid_credentials'), t)).toBe(en['error.invalidCredentials']);
  });

  it('falls back on the status for a code it does not know, and says "unexpected" past that', () => {
    expect(describeError(problem(409, 'something_new'), t)).toBe(en['error.conflict']);
    expect(describeError(problem(429, 'http_429'), t)).toBe(en['error.rateLimited']);
    expect(describeError(problem(503, 'http_503'), t)).toBe(en['error.unavailable']);
    expect(describeError(problem(500, 'internal'), t)).toBe(en['error.unexpected']);
  });

  it('names the fields to fix after the message', () => {
    const error = problem(400, 'validation_failed', [
      { field: 'email', message: 'Invalid email' },
      { field: 'name', message: 'Required' },
    ]);
    expect(describeError(error, t)).toBe(`${en['error.validation']} (email: Invalid email; name: Required)`);
  });

  it('reads anything that is not an API answer as a network failure', () => {
    expect(describeError(new TypeError('Failed to fetch'), t)).toBe(en['error.network']);
    expect(describeError(undefined, t)).toBe(en['error.network']);
  });
});

describe('isNotFound', () => {
  it('is true for a 404 answer only', () => {
    expect(isNotFound(problem(404, 'not_found'))).toBe(true);
    expect(isNotFound(problem(403, 'forbidden'))).toBe(false);
    expect(isNotFound(new Error('404'))).toBe(false);
  });
});
