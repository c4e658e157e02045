import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WorkspaceRole } from '@covey/schema';
import { AppError } from '../lib/errors.ts';
import { GroupFactsCache } from '../lib/facts-cache.ts';
import { PrincipalCache } from '../lib/principal-cache.ts';
import { rememberOrigin } from '../lib/public-url.ts';
import type { UserPrincipal, Principal, Scope } from '../lib/principal.ts';
import { tokenSecret } from './core.ts';

/** Notified by the database (migration `principal_notify`) with `user:<id>` or `client:<id>`. */
const PRINCIPAL_CHANNEL = 'covey_principal';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Throws, or settles, when the caller is known; returns nothing when that took no wait. */
    authenticate: (request: FastifyRequest) => Promise<void> | void;
    /** What users are to groups, for a group space's page (lib/facts-cache.ts). */
    groupFactsCache: GroupFactsCache;
    /** Forget what is cached about a principal (after a commit that changed a user's role/status or revoked a client). */
    forgetPrincipal: (kind: 'user' | 'client', id: string) => void;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a bearer token. */
    public?: boolean;
    /** Writes that never change memberships or groups (posts, likes): the group facts cache outlives them. */
    keepsGroupFacts?: boolean;
  }
}

export type AccessClaims =
  | { typ: 'access'; sub: string; role: WorkspaceRole; /** The session (refresh token family) it belongs to. */ sid?: string }
  | { typ: 'client'; sub: string; cid: string; scope: string };

/** Bearer authentication: access tokens of people and of integration clients, HS256 only. */
export const authPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(fastifyJwt, {
      secret: await tokenSecret(app.env, app.db),
      sign: { algorithm: 'HS256', expiresIn: app.env.ACCESS_TOKEN_TTL },
      // Verified tokens are kept (by hash, until their expiry at the latest): a signature is checked once per token.
      verify: { algorithms: ['HS256'], cache: 10_000 },
    });
    app.decorateRequest('principal', null);

    const caches = {
      user: new PrincipalCache<{ id: string; role: WorkspaceRole; status: string }>(),
      client: new PrincipalCache<{ id: string; clientId: string; revokedAt: Date | null }>(),
    };
    const forget = (kind: 'user' | 'client', id: string) => caches[kind].evict(id);
    const groupFacts = new GroupFactsCache();
    const verified = new VerifiedTokens();
    const unlisten = await app.db.listen(
      PRINCIPAL_CHANNEL,
      (payload) => {
        const [kind, id] = payload.split(':');
        if ((kind === 'user' || kind === 'client') && id) forget(kind, id);
        else if (kind === 'facts' && id) {
          if (id === '*') groupFacts.clear();
          else groupFacts.forgetUser(id);
        }
      },
      (live) => {
        Object.values(caches).forEach((cache) => cache.setLive(live));
        groupFacts.setLive(live);
      },
    );
    app.decorate('groupFactsCache', groupFacts);
    // A write answered here may have changed memberships or the tree, and its commit's notification may come after the
    // caller's next request: the facts go before the answer leaves. A callback hook: reads pay one comparison.
    app.addHook('onSend', (request, _reply, payload, done) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && !request.routeOptions.config?.keepsGroupFacts) groupFacts.clear();
      done(null, payload);
    });
    app.addHook('onClose', unlisten);
    app.decorate('forgetPrincipal', forget);

    type User = { id: string; role: WorkspaceRole; status: string };
    const admitUser = (request: FastifyRequest, user: User | null) => {
      if (!user || user.status !== 'active') throw new AppError('invalid_token', 'This account is not active.');
      request.principal = { type: 'user', id: user.id, role: user.role };
      app.touchActivity(user.id);
    };
    /** The caller the verified claims speak for; synchronous when the token and the person are known already. */
    const admit = (request: FastifyRequest, claims: AccessClaims): Promise<void> | void => {
      request.user = claims;
      if (claims.typ === 'access') {
        // The role and status are read fresh, or from the cache the database keeps exact (see PrincipalCache): a
        // deactivated user or a changed role takes effect at once.
        const cached = caches.user.peek(claims.sub);
        if (cached) return admitUser(request, cached);
        return caches.user
          .get(claims.sub, () => app.db.prisma.user.findUnique({ where: { id: claims.sub }, select: { id: true, role: true, status: true } }))
          .then((user) => admitUser(request, user));
      }
      if (claims.typ === 'client') {
        return caches.client
          .get(claims.sub, () =>
            app.db.prisma.integrationClient.findUnique({ where: { id: claims.sub }, select: { id: true, clientId: true, revokedAt: true } }),
          )
          .then((client) => {
            if (!client || client.revokedAt) throw new AppError('invalid_token', 'This integration client was revoked.');
            request.principal = {
              type: 'client',
              id: client.id,
              clientId: client.clientId,
              scopes: claims.scope.split(' ').filter(Boolean) as Scope[],
            };
          });
      }
      throw new AppError('invalid_token', 'The access token is invalid or has expired.');
    };
    const verify = async (request: FastifyRequest, header: string) => {
      let claims: AccessClaims;
      try {
        claims = await request.jwtVerify<AccessClaims>();
      } catch {
        throw new AppError('invalid_token', 'The access token is invalid or has expired.', undefined, {
          'www-authenticate': 'Bearer error="invalid_token"',
        });
      }
      verified.set(header, claims);
      await admit(request, claims);
    };

    app.decorate('authenticate', (request: FastifyRequest): Promise<void> | void => {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) {
        throw new AppError('unauthorized', 'Sign in first: send `Authorization: Bearer <access token>`.', undefined, {
          'www-authenticate': 'Bearer',
        });
      }
      const claims = verified.get(header);
      return claims ? admit(request, claims) : verify(request, header);
    });
  },
  { name: 'covey-auth', dependencies: ['covey-db', 'covey-activity', 'covey-rate-limit'] },
);

/**
 * Access tokens whose signature was checked, by their Authorization header, until they expire: a signed-in request
 * then costs a map lookup, not @fastify/jwt's parsing, hashing and cache (~4% of a feed page's CPU). A header is
 * kept only once its token verified, so a key is exactly a token that passed; its claims are dropped at their
 * `exp`, as fast-jwt's own cache does. Bounded: the oldest entry goes first.
 */
class VerifiedTokens {
  readonly #entries = new Map<string, { claims: AccessClaims; expires: number }>();
  constructor(readonly max = 10_000) {}

  get(header: string): AccessClaims | undefined {
    const hit = this.#entries.get(header);
    if (!hit) return undefined;
    if (hit.expires > Date.now()) return hit.claims;
    this.#entries.delete(header);
    return undefined;
  }

  set(header: string, claims: AccessClaims & { exp?: number }) {
    if (typeof claims.exp !== 'number') return;
    if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(header, { claims, expires: claims.exp * 1000 });
  }
}

/**
 * The onRequest hook of the versioned API: the caller is authenticated (unless the route is public), then the request
 * counts against its rate limit; a request without a valid token counts against its IP address, and says so in its
 * headers too.
 */
export function guardApi(app: FastifyInstance) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    rememberOrigin(app, request);
    if (!request.routeOptions.config.public) {
      try {
        const pending = app.authenticate(request);
        if (pending) await pending;
      } catch (error) {
        await app.limitRequest(request, reply);
        throw error;
      }
    }
    await app.limitRequest(request, reply);
  };
}

/** The authenticated caller; routes under the authenticated prefix always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthorized', 'Sign in first.');
  return request.principal;
}

/** The signed-in person: operations for people answer 403 to integration clients. */
export function personOf(request: FastifyRequest): UserPrincipal {
  const principal = principalOf(request);
  if (principal.type !== 'user') throw new AppError('forbidden', 'This operation is for people, not integration clients.');
  return principal;
}
