import { ONE_LINE } from '@covey/schema';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MultipartBody } from '../lib/openapi.ts';

/**
 * The OpenAPI 3.1 document, generated from the route schemas (`/api/openapi.json`, the reference at `/api/docs`),
 * completed in one place by `documentResponses`.
 */
export const openapiPlugin = fp(
  async (app: FastifyInstance) => {
    const env = app.env;
    // The API is for the people of the workspace and its integrations: not internal.
    const server = {
      url: env.COVEY_PUBLIC_URL ?? '/',
      description: 'This Covey instance (production, or local in development): COVEY_PUBLIC_URL',
      'x-internal': false,
    };
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Covey API',
          version: '1.0.0',
          description:
            'Groups-first team learning. Errors are application/problem+json (RFC 9457). Lists are cursor-paginated.',
          license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
          contact: { name: 'Covey maintainers', url: 'https://github.com/covey-learning/covey/issues' },
        },
        servers: [server],
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description:
                'An access token from `POST /api/v1/auth/login` (people) or `POST /api/v1/oauth/token` (integration clients). ' +
                'JWTs are handled as RFC8725 advises: only HS256 is accepted (the algorithm is pinned, `none` refused), ' +
                'the signature and expiry are always verified, the key is random (48 bytes) or JWT_SECRET, the `typ` claim ' +
                'tells people from clients, and tokens are short-lived (ACCESS_TOKEN_TTL, 15 minutes by default; one hour ' +
                'for clients), people renewing theirs with a rotating refresh token.',
            },
          },
        },
        security: [{ bearerAuth: [] }],
        tags: [
          { name: 'auth', description: 'Sessions' },
          { name: 'me', description: 'The signed-in user' },
          { name: 'users', description: 'People of the workspace' },
          { name: 'groups', description: 'The group tree' },
          { name: 'members', description: 'Group membership' },
          { name: 'branding', description: 'Group logo and background' },
          { name: 'programs', description: 'Training programs' },
          { name: 'assignment', description: 'Programs assigned to groups' },
          { name: 'enrollment', description: 'Who is enrolled and why' },
          { name: 'progress', description: 'Learner progress' },
          { name: 'files', description: 'Stored files' },
          { name: 'feed', description: 'Public feed, group spaces, program comments' },
          { name: 'notifications', description: 'In-app notifications' },
          { name: 'follow-up', description: 'Reminders to learners' },
          { name: 'admin', description: 'Workspace administration' },
          { name: 'stats', description: 'Learner, group and program statistics' },
          { name: 'documents', description: 'Certificates and shared files' },
          { name: 'integrations', description: 'OAuth2 clients, SCIM tokens' },
          { name: 'bulk', description: 'Background bulk operations' },
          { name: 'webhooks', description: 'Signed event deliveries' },
          { name: 'rules', description: 'Group membership rules over user attributes' },
          { name: 'imports', description: 'People imported from a CSV file: dry run, then applied in the background' },
          { name: 'health', description: 'Liveness and readiness' },
        ],
      },
      transform: jsonSchemaTransform,
      transformObject: (documentObject) => documentResponses(jsonSchemaTransformObject(documentObject)),
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs' });
    app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());
  },
  { name: 'covey-openapi' },
);

type Responses = Record<
  string,
  { description?: string; headers?: Record<string, unknown>; content?: Record<string, unknown> }
>;
type Operation = {
  security?: unknown[];
  parameters?: unknown[];
  responses?: Responses;
  requestBody?: unknown;
  'x-multipart'?: MultipartBody;
};

const bodyMethods = new Set(['post', 'put', 'patch', 'delete']);
const authenticated = (op: Operation) => op.security === undefined || op.security.length > 0;
const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
/** Errors any operation may answer, when it does not document them itself. */
const commonErrors: Record<string, { description: string; when: (op: Operation, method: string) => boolean }> = {
  400: { description: 'Malformed request (problem+json with `errors[]`)', when: () => true },
  401: {
    description: 'Missing or invalid credentials',
    when: authenticated,
  },
  // Any request that may carry a body (even to an operation that takes none) has it read before the route: too
  // large for the body limit, or in a media type the API does not read, it is answered before anything else.
  413: { description: 'Payload too large', when: (_, method) => bodyMethods.has(method) },
  415: { description: 'Unsupported media type', when: (_, method) => bodyMethods.has(method) },
  429: { description: 'Rate limited (see `Retry-After`)', when: () => true },
  500: { description: 'Unexpected failure (logged; no details leak)', when: () => true },
};
/** What an authenticated POST may answer because of its Idempotency-Key (modules/idempotency). */
const idempotencyErrors: Record<string, string> = {
  409: 'Conflict with the current state, or the first request with this Idempotency-Key is still running (see `Retry-After`)',
  422: 'A business rule is violated, or this Idempotency-Key was used with another request',
};
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the request safe to retry: the first answer to a key is stored for 24 hours (per caller) and replayed for the same request; the same key with another request is a 422; while the first request runs, a 409.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: ONE_LINE.source },
};
const rateLimitHeaders = {
  'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' },
  'RateLimit-Remaining': { $ref: '#/components/headers/RateLimit-Remaining' },
  'RateLimit-Reset': { $ref: '#/components/headers/RateLimit-Reset' },
};
const integerHeader = (description: string) => ({
  description,
  schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 },
});

/**
 * Completes what the route schemas say about responses, in one place: errors are application/problem+json
 * (RFC 9457); every operation documents the errors any request may meet (400, 401 when authenticated, 413 and 415
 * when its method carries a body, 429, 500);
 * 2xx and 4xx answers carry the rate-limit headers (see apiRateLimit), and 429 Retry-After too.
 */
function documentResponses<T>(document: T): T {
  const doc = document as {
    paths?: Record<string, Record<string, Operation>>;
    components?: Record<string, Record<string, unknown>>;
  };
  doc.components = {
    ...doc.components,
    headers: {
      'RateLimit-Limit': integerHeader('Requests allowed in the current window (one minute)'),
      'RateLimit-Remaining': integerHeader('Requests left in the current window'),
      'RateLimit-Reset': integerHeader('Seconds until the window resets'),
      'Retry-After': integerHeader('Seconds to wait before retrying'),
      'Access-Control-Allow-Origin': {
        description:
          'Present when the request came from a page of an origin that `COVEY_CORS_ORIGINS` names (none by default): that origin. Browsers refuse every other cross-origin caller.',
        schema: { type: 'string', format: 'uri', maxLength: 2048 },
      },
    },
  };
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      const multipart = operation['x-multipart'];
      if (multipart) {
        // Uploads are read part by part (lib/uploads.ts), not validated as a body: the form is documented here.
        const { $schema: _, ...schema } = z.toJSONSchema(multipart.form, { io: 'input', target: 'draft-2020-12' });
        const encoding = Object.fromEntries(Object.entries(multipart.files).map(([field, types]) => [field, { contentType: types.join(', ') }]));
        operation.requestBody = { required: true, content: { 'multipart/form-data': { schema, encoding } } };
        delete operation['x-multipart'];
      }
      // @fastify/swagger marks every body required; a body schema that takes null (`.nullish()`) takes no body too.
      const body = operation.requestBody as { required?: boolean; content?: Record<string, { schema?: { type?: unknown; anyOf?: { type?: unknown }[] } }> } | undefined;
      const jsonBody = body?.content?.['application/json']?.schema;
      if (body && jsonBody && (jsonBody.type === 'null' || jsonBody.anyOf?.some((s) => s.type === 'null'))) body.required = false;
      const responses = (operation.responses ??= {});
      for (const [status, error] of Object.entries(commonErrors)) {
        if (!responses[status] && error.when(operation, method))
          responses[status] = { description: error.description, content: problemContent };
      }
      if (method === 'post' && authenticated(operation)) {
        operation.parameters = [...(operation.parameters ?? []), idempotencyKey];
        for (const [status, description] of Object.entries(idempotencyErrors)) {
          responses[status] = { ...responses[status], description, content: problemContent };
        }
        responses['409']!.headers = { 'Retry-After': { $ref: '#/components/headers/Retry-After' } };
      }
      for (const [status, response] of Object.entries(responses)) {
        // Problems are problem+json; an error the route documents with a media type of its own (RFC 6749's
        // application/json token errors) keeps it.
        const json = response.content?.['application/json'] as { schema?: { $ref?: string } } | undefined;
        if (Number(status) >= 400 && json?.schema?.$ref === '#/components/schemas/Problem') {
          response.content = { 'application/problem+json': json };
        }
        if (/^[24]/.test(status)) response.headers = { ...response.headers, ...rateLimitHeaders };
        response.headers = { ...response.headers, 'Access-Control-Allow-Origin': { $ref: '#/components/headers/Access-Control-Allow-Origin' } };
        if (status === '429')
          response.headers = { ...response.headers, 'Retry-After': { $ref: '#/components/headers/Retry-After' } };
      }
    }
  }
  // Schemas registered for both directions get an input variant; keep only those the document uses. A request
  // body (a reminder, the token request) is used only as its input variant: its output twin goes too.
  const schemas = doc.components.schemas ?? {};
  const unused = (name: string) => {
    const others = Object.entries(schemas).filter(([other]) => other !== name);
    return !JSON.stringify({ paths: doc.paths, others }).includes(`"#/components/schemas/${name}"`);
  };
  let removed = true;
  while (removed) {
    removed = false;
    for (const name of Object.keys(schemas)) {
      if ((name.endsWith('Input') || `${name}Input` in schemas) && unused(name)) {
        delete schemas[name];
        removed = true;
      }
    }
  }
  return document;
}
