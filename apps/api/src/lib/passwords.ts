import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's recommended minimums (19 MiB, 2 passes).
const options = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, options);

export async function verifyPassword(hashed: string | null, password: string): Promise<boolean> {
  if (!hashed) return false;
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal accounts. */
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hashPassword('covey-timing-equaliser'));

/** The most common passwords (zxcvbn-ts's list of ~50,000), loaded on first use so idle memory does not carry it. */
let common: Promise<Set<string>> | undefined;
const commonPasswords = () =>
  (common ??= import('@zxcvbn-ts/language-common').then((m) => new Set(m.dictionary['passwords-common'].map((p) => p.toLowerCase()))));

/**
 * Why a password is too weak beyond its length (which the request schema checks), or null: one of the most common
 * passwords, or the person's own e-mail or name.
 */
export async function weakPasswordReason(password: string, person: { email?: string; firstName?: string; lastName?: string } = {}): Promise<string | null> {
  const lower = password.toLowerCase();
  if ((await commonPasswords()).has(lower)) return 'is one of the most common passwords';
  const own = [person.email, person.email?.split('@')[0], person.firstName && person.lastName ? `${person.firstName}${person.lastName}` : undefined]
    .filter((v): v is string => !!v && v.length >= 4)
    .map((v) => v.toLowerCase());
  if (own.some((v) => lower === v || lower.replace(/[^a-z0-9]/g, '') === v.replace(/[^a-z0-9]/g, ''))) return 'is your e-mail address or name';
  return null;
}
