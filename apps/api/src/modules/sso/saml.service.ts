import type { CacheProvider } from '@node-saml/node-saml';
import type { Deps } from '../../lib/deps.ts';

/**
 * What SAML sign-in keeps in the database: the requests sent to the identity provider (sso_requests, single use) and
 * the assertions already used (saml_assertions, against replays), and how an answer is refused.
 */

/** How long an AuthnRequest may wait for its answer. */
export const SAML_REQUEST_TTL_MS = 10 * 60 * 1000;

/** Why a SAML answer was refused: `status` and `reason` go to the person, `detail` to the log. */
export class SamlRefusal extends Error {
  constructor(
    readonly status: 400 | 403,
    readonly reason: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const REASONS = {
  invalid: 'The answer of the identity provider could not be verified.',
  time: 'The answer of the identity provider has expired or is not valid yet (a sign-in that took too long, or clocks that disagree). Try again.',
  request:
    'This sign-in was not started here, took too long or was already completed. Start again from the sign-in page.',
  replay: 'This answer of the identity provider was already used. Start again from the sign-in page.',
  status: 'The identity provider did not sign you in.',
};
export const refuse = (kind: keyof typeof REASONS, detail: string) => new SamlRefusal(400, REASONS[kind], detail);

/**
 * The sso_requests table as node-saml's store of request IDs. It only reads (an unused, unexpired request's creation
 * time, which node-saml also checks against its age); a request is saved with where to go afterwards, and claimed
 * atomically once the whole answer is verified (see consume), so node-saml's removals do nothing.
 */
export function requestStore(app: Deps<'db'>, redirectTo: string | null): CacheProvider {
  const prisma = app.db.prisma;
  return {
    async saveAsync(key, value) {
      await prisma.ssoRequest.create({
        data: { protocol: 'saml', state: key, redirectTo, expiresAt: new Date(Date.now() + SAML_REQUEST_TTL_MS) },
      });
      return { value, createdAt: Date.now() };
    },
    async getAsync(key) {
      // Used or not: a second use is refused when claimed, after the replay check, with the right reason.
      const row = await prisma.ssoRequest.findFirst({
        where: { state: key, protocol: 'saml', expiresAt: { gt: new Date() } },
        select: { createdAt: true },
      });
      return row ? row.createdAt.toISOString() : null;
    },
    async removeAsync(key) {
      return key;
    },
  };
}

/**
 * Records the assertion (a second use fails on its primary key: a replay) and claims the request it answers (single
 * use, unexpired), together: returns where to go afterwards.
 */
export async function consume(
  app: Deps<'db'>,
  assertion: { id: string; requestId: string; expiresAt: Date },
): Promise<{ redirectTo: string | null }> {
  const prisma = app.db.prisma;
  return prisma.$transaction(async (tx) => {
    const recorded = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO saml_assertions (id, expires_at) VALUES (${assertion.id}, ${assertion.expiresAt})
      ON CONFLICT (id) DO NOTHING RETURNING id`;
    if (recorded.length === 0) throw refuse('replay', `Assertion ${assertion.id} was already used`);
    const claimed = await tx.$queryRaw<{ redirect_to: string | null }[]>`
      UPDATE sso_requests SET used_at = now()
      WHERE state = ${assertion.requestId} AND protocol = 'saml' AND used_at IS NULL AND expires_at > now()
      RETURNING redirect_to`;
    if (claimed.length === 0)
      throw refuse('request', `Request ${assertion.requestId} is unknown, expired or already used`);
    return { redirectTo: claimed[0]!.redirect_to };
  });
}

/** Forgets what can no longer be used: expired assertions, and SAML requests a day after they expired. */
export async function sweep(app: Deps<'db'>) {
  const prisma = app.db.prisma;
  const now = new Date();
  await prisma.samlAssertion.deleteMany({ where: { expiresAt: { lt: now } } });
  await prisma.ssoRequest.deleteMany({
    where: { protocol: 'saml', expiresAt: { lt: new Date(now.getTime() - 24 * 3600 * 1000) } },
  });
}
