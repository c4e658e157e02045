import type { Deps } from '../../lib/deps.ts';
import type { FastifyRequest } from 'fastify';
import { isUuid } from '../../lib/refs.ts';
import { parseFilter } from './filter.ts';
import { applyPatch, readOperations } from './patch.ts';
import { pageOf, queryParam, toWhere, type Where } from './query.ts';
import { listResponse, project, type ScimCaller } from './resource.ts';
import { scimNotFound } from './scim-error.ts';
import { USER_PATCH_SCHEMA } from './schemas.ts';
import { readUser, storedEmails, toScimUser } from './user-mapping.ts';
import { userFields } from './user-filter.ts';
import { scimUserProvisioning } from './user-provisioning.ts';

/**
 * SCIM Users are Covey users. userName is the sign-in name the directory knows (lower-cased, unique, not
 * necessarily an e-mail); `emails` are all the person's addresses, the primary one being Covey's mail address
 * (`users.email`). The enterprise extension feeds the profile attributes that membership rules read.
 * `active: false` deactivates; DELETE erases the person as Covey's erase does (pseudonymized, history kept),
 * after which the resource is gone for SCIM (404) and its userName and e-mail are free again.
 */
type Query = Record<string, unknown>;

export function scimUsers(deps: Deps<'db' | 'env' | 'boss' | 'jwt' | 'touchActivity' | 'forgetPrincipal'>) {
  const prisma = deps.db.prisma;
  const { create, save, erase } = scimUserProvisioning(deps);

  return {
    async list(caller: ScimCaller, query: Query) {
      const filterText = queryParam(query, 'filter');
      const filter: Where = filterText ? toWhere(parseFilter(filterText), (key) => userFields[key]) : {};
      const where = { AND: [filter, { erasedAt: null }] };
      const { startIndex, count, skip } = pageOf(query);
      const [total, rows] = await Promise.all([
        prisma.user.count({ where }),
        count ? prisma.user.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip, take: count }) : [],
      ]);
      return listResponse(
        rows.map((u) => project(toScimUser(u, caller.base), query)),
        total,
        startIndex,
      );
    },

    async get(caller: ScimCaller, id: string) {
      const user = isUuid(id) ? await prisma.user.findUnique({ where: { id } }) : null;
      if (!user || user.erasedAt) throw scimNotFound('User', id);
      return user;
    },

    create,

    /** PUT: a document without e-mails keeps the user's (Covey needs an address to write to). */
    replace: (caller: ScimCaller, request: FastifyRequest, id: string, body: Record<string, unknown>) =>
      save(caller, request, id, (current) => readUser(body, { keepEmails: storedEmails(current) })),

    patch: (caller: ScimCaller, request: FastifyRequest, id: string, body: unknown) => {
      const operations = readOperations(body);
      return save(caller, request, id, (current) => {
        const before = toScimUser(current, caller.base);
        // An e-mail change is just that: userName changes only when an operation changes userName.
        const after = applyPatch(before, operations, USER_PATCH_SCHEMA);
        const input = readUser(after, { previousPrimary: current.email });
        // The document carried the externalId; its absence now means an operation removed it.
        if (input.externalId === undefined && current.externalId) input.externalId = null;
        return input;
      });
    },

    remove: erase,
  };
}
