import type { Deps } from '../../lib/deps.ts';
import { timingSafeEqual } from 'node:crypto';
import { audit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import type { Principal } from '../../lib/principal.ts';
import { isUuid } from '../../lib/refs.ts';
import { randomToken, sha256 } from '../../lib/tokens.ts';
import { authorize } from '../../policy/index.ts';

/**
 * OAuth 2.0 clients (client credentials) for scripts and other systems: managed by whoever the policy lets (workspace
 * admins); the secret is shown once and stored hashed.
 */
export function clientsService(deps: Deps<'db'>) {
  const prisma = deps.db.prisma;

  return {
    async list(principal: Principal) {
      authorize(principal, 'integrationClients');
      return prisma.integrationClient.findMany({ orderBy: { createdAt: 'desc' } });
    },

    /** The new client and its secret (shown once). */
    async create(principal: Principal, body: { name: string; scopes: string[] }) {
      authorize(principal, 'integrationClients');
      const secret = `cvs_${randomToken(32)}`;
      const client = await prisma.$transaction(async (tx) => {
        const created = await tx.integrationClient.create({
          data: {
            name: body.name,
            clientId: `cvc_${randomToken(12)}`,
            secretHash: sha256(secret),
            scopes: [...new Set(body.scopes)],
            createdById: principal.id,
          },
        });
        await audit(tx, principal, 'integration.client.create', { type: 'integration_client', id: created.id }, { scopes: created.scopes });
        return created;
      });
      return { client, secret };
    },

    /**
     * Revokes a client, named by its public `clientId` or its `id` (again: nothing changes); answers its id, whose
     * cached principal the caller forgets.
     */
    async revoke(principal: Principal, ref: string) {
      authorize(principal, 'integrationClients');
      const client = isUuid(ref)
        ? await prisma.integrationClient.findUnique({ where: { id: ref } })
        : await prisma.integrationClient.findUnique({ where: { clientId: ref } });
      if (!client) throw notFound('not_found', 'The client');
      const id = client.id;
      await prisma.$transaction(async (tx) => {
        await tx.integrationClient.update({ where: { id }, data: { revokedAt: client.revokedAt ?? new Date() } });
        await audit(tx, principal, 'integration.client.revoke', { type: 'integration_client', id });
      });
      return client.id;
    },

    /** The client these credentials authenticate, unless unknown, revoked or with another secret (compared in constant time). */
    async authenticate(clientId: string, secret: string) {
      const client = await prisma.integrationClient.findUnique({ where: { clientId } });
      const valid = client && !client.revokedAt && timingSafeEqual(Buffer.from(sha256(secret), 'hex'), Buffer.from(client.secretHash, 'hex'));
      return valid ? client : null;
    },

    /** Records that a client was just issued a token. */
    async touch(id: string) {
      await prisma.integrationClient.update({ where: { id }, data: { lastUsedAt: new Date() } });
    },
  };
}
