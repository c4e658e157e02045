import type { Deps } from '../../lib/deps.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { sha256 } from '../../lib/tokens.ts';
import { matchPerson, type SsoIdentity, type SsoMatch, type SsoSettings } from './sign-in.ts';

/** How long a started sign-in may take at the provider. */
export const REQUEST_TTL_MS = 10 * 60_000;

type Claimed = { nonce: string | null; codeVerifier: string | null; redirectTo: string | null };

/** The OIDC sign-in requests (state, nonce, PKCE verifier: single use, ten minutes) and the person they sign in. */
export function oidcService(deps: Deps<'db'>) {
  const prisma = deps.db.prisma;

  return {
    /** Records a started sign-in; only the hash of its state is stored. */
    async start(request: { state: string; nonce: string; codeVerifier: string; redirectTo: string | null }) {
      await prisma.ssoRequest.create({
        data: {
          protocol: 'oidc',
          state: sha256(request.state),
          nonce: request.nonce,
          codeVerifier: request.codeVerifier,
          redirectTo: request.redirectTo,
          expiresAt: new Date(Date.now() + REQUEST_TTL_MS),
        },
      });
    },

    /** Claims the sign-in a state names, once and atomically (of two answers with the same state, one wins). */
    async claim(state: string): Promise<{ claimed: Claimed } | { refused: string }> {
      const hash = sha256(state);
      const [claimed] = await prisma.$queryRaw<Claimed[]>`
        UPDATE sso_requests SET used_at = now()
        WHERE state = ${hash} AND protocol = 'oidc' AND used_at IS NULL AND expires_at > now()
        RETURNING nonce, code_verifier AS "codeVerifier", redirect_to AS "redirectTo"`;
      if (claimed) return { claimed };
      const row = await prisma.ssoRequest.findUnique({ where: { state: hash }, select: { usedAt: true, protocol: true } });
      if (row?.protocol === 'oidc' && row.usedAt) return { refused: 'This sign-in answer was already used. Start again from the sign-in page.' };
      if (row?.protocol === 'oidc') return { refused: 'This sign-in took too long and expired. Start again from the sign-in page.' };
      return { refused: 'This is not an answer to a sign-in Covey started.' };
    },

    /** The person the identity is (see matchPerson); one whose e-mail or user name another account holds is refused. */
    async match(identity: SsoIdentity, settings: SsoSettings): Promise<SsoMatch> {
      try {
        return await matchPerson(deps, identity, settings);
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
          return { refused: 'Another Covey account already has your e-mail address or user name. Ask an administrator.' };
        throw error;
      }
    },
  };
}
