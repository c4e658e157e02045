import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/sql.ts';
import { getAttr, keyOf } from './evaluate.ts';
import { splitAttrPath } from './filter.ts';
import { queryParam } from './query.ts';
import { ScimError } from './scim-error.ts';
import { URN } from './schemas.ts';

type Json = Record<string, unknown>;

/** Who is calling: the SCIM token, and the base URL resources are located under. */
export type ScimCaller = { tokenId: string; prefix: string; base: string };

export const SCIM_TYPE = 'application/scim+json; charset=utf-8';
export const etagOf = (version: number) => `W/"${version}"`;

export function meta(
  resourceType: 'User' | 'Group',
  row: { id: string; createdAt: Date; updatedAt: Date; version: number },
  base: string,
) {
  return {
    resourceType,
    created: row.createdAt.toISOString(),
    lastModified: row.updatedAt.toISOString(),
    location: `${base}/${resourceType}s/${row.id}`,
    version: etagOf(row.version),
  };
}

export function send(reply: FastifyReply, status: number, body: unknown, version?: number) {
  if (version !== undefined) reply.header('etag', etagOf(version));
  return reply.code(status).type(SCIM_TYPE).serializer(JSON.stringify).send(body);
}

/** If-Match on writes (412 when the resource changed since the client read it). */
export function checkIfMatch(request: FastifyRequest, version: number) {
  const header = request.headers['if-match'];
  if (!header) return;
  const tags = String(header)
    .split(',')
    .map((t) => t.trim());
  if (tags.includes('*') || tags.some((t) => t.replace(/^W\//, '') === `"${version}"`)) return;
  throw new ScimError(412, 'The resource changed since it was read (If-Match does not match its version).');
}

/** If-None-Match on reads: true when the client already has this version (304). */
export function notModified(request: FastifyRequest, version: number) {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return String(header)
    .split(',')
    .some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === `"${version}"`);
}

/** An audit row with actor type `scim` (the token), in the caller's transaction. */
export async function auditScim(
  db: Db,
  caller: ScimCaller,
  action: string,
  target: { type: string; id: string },
  data: Json = {},
) {
  await db.$executeRaw`
    INSERT INTO audit_log (actor_type, actor_id, action, target_type, target_id, data)
    VALUES ('scim'::"ActorType", ${caller.tokenId}, ${action}, ${target.type}, ${target.id}, ${JSON.stringify({ ...data, token: caller.prefix })}::jsonb)`;
}

const ALWAYS = new Set(['id', 'schemas']);

/** `attributes` / `excludedAttributes` (RFC 7644 section 3.4.2.5); `id` and `schemas` always stay. */
export function project(resource: Json, query: Record<string, unknown>): Json {
  const only = queryParam(query, 'attributes');
  const excluded = queryParam(query, 'excludedAttributes');
  const paths = (list: string) =>
    list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((text) => {
        const path = splitAttrPath(text);
        const core =
          !path.uri ||
          path.uri.toLowerCase() === URN.user.toLowerCase() ||
          path.uri.toLowerCase() === URN.group.toLowerCase();
        return { scope: core ? undefined : path.uri, attr: path.attr, sub: path.sub };
      });
  if (only) {
    const out: Json = {};
    for (const key of Object.keys(resource)) if (ALWAYS.has(key)) out[key] = resource[key];
    for (const path of paths(only)) {
      const source = path.scope ? (getAttr(resource, path.scope) as Json | undefined) : resource;
      if (!source || typeof source !== 'object') continue;
      const key = keyOf(source, path.attr);
      if (key === undefined) continue;
      const target = path.scope ? ((out[keyOf(resource, path.scope) as string] ??= {}) as Json) : out;
      const value = source[key];
      if (path.sub && value && typeof value === 'object' && !Array.isArray(value)) {
        const subKey = keyOf(value as Json, path.sub);
        if (subKey !== undefined)
          target[key] = { ...(target[key] as Json | undefined), [subKey]: (value as Json)[subKey] };
      } else {
        target[key] = value;
      }
    }
    return out;
  }
  if (excluded) {
    const out = structuredClone(resource);
    for (const path of paths(excluded)) {
      const source = path.scope ? (getAttr(out, path.scope) as Json | undefined) : out;
      if (!source || typeof source !== 'object') continue;
      const key = keyOf(source, path.attr);
      if (key === undefined || (!path.scope && ALWAYS.has(key))) continue;
      const value = source[key];
      if (path.sub && value && typeof value === 'object' && !Array.isArray(value)) {
        const subKey = keyOf(value as Json, path.sub);
        if (subKey !== undefined) delete (value as Json)[subKey];
      } else {
        delete source[key];
      }
    }
    return out;
  }
  return resource;
}

/** Is `name` (e.g. "members") left out of the response? Lets a list skip loading it. */
export function isExcluded(query: Record<string, unknown>, name: string): boolean {
  const lower = name.toLowerCase();
  const only = queryParam(query, 'attributes');
  if (only) return !only.split(',').some((s) => s.trim().toLowerCase().split('.')[0] === lower);
  const excluded = queryParam(query, 'excludedAttributes');
  return !!excluded && excluded.split(',').some((s) => s.trim().toLowerCase() === lower);
}

export function listResponse(resources: Json[], total: number, startIndex: number) {
  return { schemas: [URN.list], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
}

export const readBody = (body: unknown): Json => {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ScimError(400, 'The body must be a JSON object.', 'invalidSyntax');
  return body as Json;
};
