import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WorkspaceRole } from '@covey/schema';
import { AppError } from '../lib/errors.ts';
import type { Principal, Scope } from '../lib/principal.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a bearer token. */
    public?: boolean;
  }
}

export type AccessClaims =
  | { typ: 'access'; sub: string; role: WorkspaceRole }
  | { typ: 'client'; sub: string; cid: string; scope: string };

/** Bearer authentication: access tokens of people and of integration clients, HS256 only. */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { secret: string; accessTtl: number }) => {
    await app.register(fastifyJwt, {
      secret: opts.secret,
      sign: { algorithm: 'HS256', expiresIn: opts.accessTtl },
      verify: { algorithms: ['HS256'] },
    });
    app.decorateRequest('principal', null);

    app.decorate('authenticate', async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) {
        throw new AppError('unauthorized', 'Sign in first: send `Authorization: Bearer <access token>`.', undefined, {
          'www-authenticate': 'Bearer',
        });
      }
      let claims: AccessClaims;
      try {
        claims = await request.jwtVerify<AccessClaims>();
      } catch {
        throw new AppError('invalid_token', 'The access token is invalid or has expired.', undefined, {
          'www-authenticate': 'Bearer error="invalid_token"',
        });
      }
      if (claims.typ === 'access') {
        // The role and status are read fresh: a deactivated user or a changed role takes effect at once.
        const user = await app.db.prisma.user.findUnique({
          where: { id: claims.sub },
          select: { id: true, role: true, status: true },
        });
        if (!user || user.status !== 'active') throw new AppError('invalid_token', 'This account is not active.');
        request.principal = { type: 'user', id: user.id, role: user.role };
        app.touchActivity(user.id);
      } else if (claims.typ === 'client') {
        const client = await app.db.prisma.integrationClient.findUnique({
          where: { id: claims.sub },
          select: { id: true, clientId: true, revokedAt: true },
        });
        if (!client || client.revokedAt) throw new AppError('invalid_token', 'This integration client was revoked.');
        request.principal = {
          type: 'client',
          id: client.id,
          clientId: client.clientId,
          scopes: claims.scope.split(' ').filter(Boolean) as Scope[],
        };
      } else {
        throw new AppError('invalid_token', 'The access token is invalid or has expired.');
      }
    });
  },
  { name: 'covey-auth', dependencies: ['covey-db', 'covey-activity'] },
);

/** The authenticated caller; routes under the authenticated prefix always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthorized', 'Sign in first.');
  return request.principal;
}
