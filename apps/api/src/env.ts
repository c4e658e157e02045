import path from 'node:path';
import { z } from 'zod';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** A PostgreSQL server; without it the app runs on an embedded PGlite database under COVEY_DATA_DIR. */
  DATABASE_URL: z.string().optional(),
  /**
   * PostgreSQL parallel workers a statement of the API may use (max_parallel_workers_per_gather of its sessions). 0 by
   * default: starting a worker costs more than the API's index-bound statements gain (src/db/database.ts).
   */
  DB_PARALLEL_WORKERS: z.coerce.number().int().min(0).max(64).default(0),
  COVEY_DATA_DIR: z.string().optional(),
  /** Where uploaded files live (local disk storage). Defaults to <data dir>/files. */
  COVEY_FILES_DIR: z.string().optional(),
  /** HMAC secret for access tokens; when unset, one is generated and kept in the database. */
  JWT_SECRET: z.string().min(32).optional(),
  /** Key material for secrets encrypted at rest (webhook signing keys); defaults to the token secret. */
  COVEY_SECRET_KEY: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  COVEY_OWNER_EMAIL: z.email().max(320).optional(),
  COVEY_OWNER_PASSWORD: z.string().min(10).optional(),
  /** 1 = seed the demo workspace into an empty database (the default on the embedded database). */
  COVEY_SEED_DEMO: z.enum(['0', '1']).optional(),
  COVEY_PUBLIC_URL: z.string().optional(),
  /** Folder of the built SPA; served on the same port. */
  COVEY_WEB_DIST: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  /**
   * Seconds an Idempotency-Key stays held by a request that has not answered yet. A request whose node died holds its
   * key this long; then a retry with the key runs afresh. Longer than any request (a slow upload included).
   */
  IDEMPOTENCY_LEASE_SECONDS: z.coerce.number().int().min(5).max(86_400).default(300),
  /** Days an invitation link stays valid. */
  INVITE_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** 1 = passwords are refused for everyone but the owner (break-glass): people sign in through single sign-on. */
  COVEY_SSO_ONLY: z.enum(['0', '1']).default('0'),
  /** OpenID Connect sign-in (authorization code + PKCE): the issuer URL, the client, the button's label. */
  COVEY_OIDC_ISSUER: z.url().optional(),
  COVEY_OIDC_CLIENT_ID: z.string().min(1).optional(),
  COVEY_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  COVEY_OIDC_NAME: z.string().min(1).max(60).default('your company account'),
  /** How a provider's person is matched to a Covey person: by e-mail (default) or by userName. */
  COVEY_OIDC_MATCH: z.enum(['email', 'userName']).default('email'),
  /** 1 = a person the provider vouches for but Covey does not know is created (as a learner) at first sign-in. */
  COVEY_OIDC_JIT: z.enum(['0', '1']).default('0'),
  /** SAML 2.0 sign-in: the identity provider's SSO URL, entity ID and signing certificate (PEM or base64). */
  COVEY_SAML_IDP_SSO_URL: z.url().optional(),
  COVEY_SAML_IDP_ISSUER: z.string().min(1).optional(),
  COVEY_SAML_IDP_CERT: z.string().min(1).optional(),
  /** Our entity ID (the audience); defaults to <public URL>/api/v1/auth/saml/metadata. */
  COVEY_SAML_SP_ENTITY_ID: z.string().min(1).optional(),
  COVEY_SAML_NAME: z.string().min(1).max(60).default('SAML single sign-on'),
  COVEY_SAML_MATCH: z.enum(['email', 'userName']).default('email'),
  COVEY_SAML_JIT: z.enum(['0', '1']).default('0'),
  /**
   * The reverse proxies whose X-Forwarded-For is believed: a number of hops, or their addresses and CIDR ranges
   * (comma-separated). Unset: none, the client address is the connection's (a client cannot choose its own).
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(\d{1,2}|[0-9a-fA-F:./]+(\s*,\s*[0-9a-fA-F:./]+)*)$/, 'a number of hops, or addresses and CIDR ranges')
    .optional(),
  /**
   * Other web origins whose pages may call the API from a browser (CORS), comma-separated and exact, like
   * `https://portal.example.com`. Unset: none (the web app is served by the API itself, same-origin).
   */
  COVEY_CORS_ORIGINS: z
    .string()
    .trim()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ }).regex(/^https?:\/\/[^/]+$/, 'an origin: scheme, host and port, no path')))
    .optional(),
  /** Requests per minute per integration client. */
  CLIENT_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  /** Requests per minute to /api per signed-in user, or per IP address without a valid token. */
  API_RATE_LIMIT: z.coerce.number().int().min(1).default(3000),
  /** smtp(s)://user:pass@host:port; without it mails go to the dev mailbox (GET /api/v1/admin/mailbox). */
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Covey <no-reply@covey.local>'),
  /** Attempts per mail before it is marked failed (exponential backoff between them). */
  MAIL_RETRY_LIMIT: z.coerce.number().int().min(0).max(50).default(12),
  MAIL_RETRY_DELAY: z.coerce.number().int().min(1).max(3600).default(10),
  /** 1 = webhooks may target loopback, private and link-local addresses (tests, on-premise receivers). */
  COVEY_WEBHOOK_ALLOW_PRIVATE: z.enum(['0', '1']).default('0'),
  WEBHOOK_RETRY_LIMIT: z.coerce.number().int().min(0).max(50).default(15),
  WEBHOOK_RETRY_DELAY: z.coerce.number().int().min(1).max(3600).default(30),
  /** Days the webhook log (dispatched events and their deliveries) is kept. */
  WEBHOOK_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** How often each process moves committed outbox events to webhook deliveries. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  /** Files in an S3-compatible bucket instead of the local disk (every node of a cluster sees the same files). */
  COVEY_S3_BUCKET: z.string().trim().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name').optional(),
  /** An S3-compatible endpoint (MinIO, Ceph, R2…); unset = AWS S3. */
  COVEY_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  COVEY_S3_REGION: z.string().trim().min(1).default('us-east-1'),
  /** 1 = path-style URLs (`https://host/bucket/key`), which most S3-compatible servers want. */
  COVEY_S3_FORCE_PATH_STYLE: z.enum(['0', '1']).default('0'),
  /** S3 credentials; unset = the AWS SDK's default chain (instance role, web identity, shared config). */
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
  /** A Redis server shared by every node for the request rate limits; unset = in-memory limits per process. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
}).superRefine((env, ctx) => {
  if (Boolean(env.AWS_ACCESS_KEY_ID) !== Boolean(env.AWS_SECRET_ACCESS_KEY))
    ctx.addIssue({ code: 'custom', path: ['AWS_SECRET_ACCESS_KEY'], message: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY together' });
  if (env.COVEY_S3_ENDPOINT && !env.COVEY_S3_BUCKET)
    ctx.addIssue({ code: 'custom', path: ['COVEY_S3_BUCKET'], message: 'COVEY_S3_ENDPOINT needs COVEY_S3_BUCKET' });
});

export type Env = z.infer<typeof schema> & { dataDir: string; filesDir: string };

/** The only place process.env is read. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const base = source.INIT_CWD ?? process.cwd();
  const dataDir = path.resolve(base, parsed.data.COVEY_DATA_DIR ?? '.data');
  return {
    ...parsed.data,
    dataDir,
    filesDir: path.resolve(base, parsed.data.COVEY_FILES_DIR ?? path.join(dataDir, 'files')),
  };
}
