import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * The contract check of the test app (helpers.ts installs it on every test app): every request and response that
 * goes through the app is checked against the OpenAPI document it serves, with ajv (JSON Schema 2020-12, as
 * OpenAPI 3.1 has it). A violation is:
 *
 * - a response whose status, media type or body the document does not describe for the operation (files and
 *   CSV: their media type);
 * - a request the document calls valid answered `400 validation_failed` (the document accepts what the API
 *   refuses), or a request the document calls invalid answered 2xx (the API accepts what the document refuses).
 *
 * Violations are collected; the test context fails its file on close if there is any. A request that deliberately
 * goes outside the document opts out with the WIRE_CHECK_SKIP header, whose value says why.
 */
type Schema = Record<string, unknown>;
type Media = Record<string, { schema?: Schema }>;
type Parameter = { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: Schema };
type Operation = {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Media };
  responses: Record<string, { content?: Media }>;
};
export type Doc = { paths: Record<string, Record<string, Operation>>; components?: Record<string, unknown> };

export type Violation = { operationId: string; request: string; status: number; problem: string };

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const mediaType = (header: unknown) => (typeof header === 'string' ? header : '').split(';')[0]!.trim().toLowerCase();
const pointer = (...parts: string[]) => `#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
const JSON_TYPES = new Set(['application/json', 'application/problem+json', 'application/scim+json']);

type Raw = { body: unknown; params: Record<string, unknown> | undefined };
declare module 'fastify' {
  interface FastifyRequest {
    /** The request as it came (before validation transformed it), for the contract check. */
    wireRaw?: Raw;
  }
}

/** The header of a test request the check skips; its value is the reason (e.g. "a body the document refuses"). */
export const WIRE_CHECK_SKIP = 'x-test-wire-check-skip';

export function installWireCheck(app: FastifyInstance, violations: Violation[]) {
  let doc: Doc | null = null;
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  for (const format of ['int32', 'int64', 'binary', 'byte', 'password']) ajv.addFormat(format, true);
  const validators = new Map<string, ValidateFunction>();
  const validator = (ref: string) => {
    let v = validators.get(ref);
    if (!v) {
      v = ajv.compile({ $ref: `covey-openapi${ref}` });
      validators.set(ref, v);
    }
    return v;
  };
  const documentOf = () => {
    if (!doc) {
      doc = app.swagger() as unknown as Doc;
      ajv.addSchema({ ...doc, $id: 'covey-openapi' });
    }
    return doc;
  };
  const errorsOf = (v: ValidateFunction) =>
    (v.errors ?? [])
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
      .join('; ');

  app.addHook('preValidation', async (request) => {
    request.wireRaw = { body: request.body === undefined ? undefined : structuredClone(request.body), params: { ...(request.params as Record<string, unknown>) } };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url;
    if (!route || request.method === 'HEAD' || request.method === 'OPTIONS' || request.headers[WIRE_CHECK_SKIP]) return payload;
    const path = route.replace(/:(\w+)/g, '{$1}');
    const method = request.method.toLowerCase();
    const d = documentOf();
    const op = d.paths[path]?.[method];
    if (!op) return payload;
    const status = reply.statusCode;
    const violation = (problem: string) =>
      violations.push({ operationId: op.operationId, request: `${request.method} ${request.url.slice(0, 200)}`, status, problem: problem.slice(0, 600) });

    // The request, as the document sees it.
    const requestProblem = checkRequest(request, op, path, method, validator, errorsOf);
    const code = status === 400 && typeof payload === 'string' ? safeCode(payload) : undefined;
    if (!requestProblem && code === 'validation_failed')
      violation(`the document accepts this request, the API refused it as invalid: ${typeof payload === 'string' ? payload.slice(0, 300) : ''}`);
    if (requestProblem && status >= 200 && status < 300) violation(`the API accepted a request the document refuses: ${requestProblem}`);

    // The response.
    const key = op.responses[String(status)] ? String(status) : op.responses[`${String(status)[0]}XX`] ? `${String(status)[0]}XX` : 'default';
    const documented = op.responses[key];
    if (!documented) {
      violation(`status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`);
      return payload;
    }
    // 204 and 304 never carry a body on the wire, whatever onSend sees (Fastify drops it).
    if (status === 204 || status === 304) return payload;
    const hasBody = payload !== null && payload !== undefined && !(typeof payload === 'string' && payload === '') && !(Buffer.isBuffer(payload) && payload.length === 0);
    if (!documented.content) {
      if (hasBody) violation(`status ${status} has a body, the document says none`);
      return payload;
    }
    if (!hasBody) {
      violation(`status ${status} has no body, the document describes ${Object.keys(documented.content).join(', ')}`);
      return payload;
    }
    const type = mediaType(reply.getHeader('content-type'));
    const media = documented.content[type];
    if (!media) {
      violation(`media type ${type || '(none)'} is not documented for ${status} (documented: ${Object.keys(documented.content).join(', ')})`);
      return payload;
    }
    if (!JSON_TYPES.has(type) || typeof payload !== 'string' || !media.schema) return payload;
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      violation(`the ${type} body is not JSON`);
      return payload;
    }
    const v = validator(pointer('paths', path, method, 'responses', key, 'content', type, 'schema'));
    if (!v(body)) violation(`the response body does not match the document: ${errorsOf(v)}`);
    return payload;
  });
}

function safeCode(payload: string): string | undefined {
  try {
    return (JSON.parse(payload) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

/** What the document finds wrong with a request (undefined: nothing). */
function checkRequest(
  request: FastifyRequest,
  op: Operation,
  path: string,
  method: string,
  validator: (ref: string) => ValidateFunction,
  errorsOf: (v: ValidateFunction) => string,
): string | undefined {
  const raw = request.wireRaw;
  // A request that failed before validation (unparsable body, wrong media type) is not the document's to judge.
  if (!raw) return 'the request did not reach validation';
  const query = new URLSearchParams(request.url.split('?')[1] ?? '');
  for (const [index, p] of (op.parameters ?? []).entries()) {
    let value: unknown;
    if (p.in === 'path') value = raw.params?.[p.name];
    else if (p.in === 'query') value = query.has(p.name) ? query.get(p.name) : undefined;
    else if (p.in === 'header') value = request.headers[p.name.toLowerCase()];
    else continue;
    if (value === undefined) {
      if (p.required) return `the ${p.in} parameter ${p.name} is missing`;
      continue;
    }
    if (!p.schema) continue;
    const v = validator(pointer('paths', path, method, 'parameters', String(index), 'schema'));
    if (!v(coerce(value, p.schema)) && !v(value)) return `the ${p.in} parameter ${p.name}: ${errorsOf(v)}`;
  }
  if (!op.requestBody) return undefined;
  const type = mediaType(request.headers['content-type']);
  // Multipart bodies are read by the upload routes themselves (no parsed body): only where the document has them.
  if (raw.body === undefined && type === 'multipart/form-data' && !op.requestBody.content[type]) return 'the media type multipart/form-data is not documented for the body';
  if (raw.body === undefined) return op.requestBody.required && type !== 'multipart/form-data' ? 'the body is missing' : undefined;
  const media = op.requestBody.content[type] ?? (type === 'application/x-www-form-urlencoded' ? undefined : undefined);
  if (!media) return `the media type ${type || '(none)'} is not documented for the body`;
  if (!media.schema) return undefined;
  const v = validator(pointer('paths', path, method, 'requestBody', 'content', type, 'schema'));
  return v(raw.body) ? undefined : `the body: ${errorsOf(v)}`;
}

/** Query and path values are text: numbers and booleans as the schema types them. */
function coerce(value: unknown, schema: Schema): unknown {
  if (typeof value !== 'string') return value;
  const type = schema.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
