import { AppError } from '../../lib/errors.ts';
import { hashPassword, weakPasswordReason } from '../../lib/passwords.ts';

/** Hashes a new password, or answers 422 weak_password naming the field when it is too common or the person's own. */
export async function hashNewPassword(
  password: string,
  person: { email?: string; firstName?: string; lastName?: string },
  field = 'body.password',
): Promise<string> {
  const reason = await weakPasswordReason(password, person);
  if (reason) throw new AppError('weak_password', 'Choose a less guessable password.', [{ field, message: reason }]);
  return hashPassword(password);
}
