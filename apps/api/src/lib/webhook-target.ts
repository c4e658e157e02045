import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError } from './errors.ts';

/**
 * Webhook targets (SSRF): a webhook may only reach public unicast addresses. Loopback, private (RFC 1918),
 * carrier-grade NAT, link-local (the cloud metadata service, 169.254.169.254), unique-local, multicast,
 * unspecified, broadcast, reserved and documentation ranges are refused in every notation (`127.1`,
 * `2130706433`, `0x7f000001`, `[::ffff:127.0.0.1]`, NAT64, 6to4 and Teredo forms), when the URL is saved and
 * again at delivery, after DNS resolution, on the very address the connection then goes to (a custom `lookup`,
 * so a name cannot resolve to a public address for the check and to an internal one for the connection).
 * Redirects are not followed. COVEY_WEBHOOK_ALLOW_PRIVATE=1 lifts the rule (tests, on-premise receivers).
 */

/** A public unicast address: what ipaddr.js calls `unicast`, IPv4-mapped IPv6 judged as the IPv4 it maps. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!net.isIP(bare)) return false;
  return ipaddr.process(bare).range() === 'unicast';
}

/** Names that are the local host whatever DNS says (RFC 6761). */
const localName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

export class TargetRefused extends Error {
  constructor() {
    super('The webhook target is not a public address.');
    this.name = 'TargetRefused';
  }
}

const LOOKUP_TIMEOUT_MS = 3_000;

/** Every address of a name (A and AAAA). */
export type LookupAll = (host: string) => Promise<{ address: string; family: number }[]>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), given 3 seconds. */
export const systemLookup: LookupAll = async (host) => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      dns.promises.lookup(host, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'ETIMEOUT' })), LOOKUP_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Checks a webhook URL as it is saved: 400 when its host is, or resolves to, an address that is not public. A name
 * that does not resolve yet is accepted (the receiver may not be deployed yet): delivery checks it again.
 */
export async function checkWebhookUrl(url: string, allowPrivate: boolean, lookup: LookupAll = systemLookup): Promise<void> {
  if (allowPrivate) return;
  const refuse = () =>
    new AppError('webhook_target_refused', 'The webhook URL must reach a public address.', [
      { field: 'url', message: 'Loopback, private, link-local, unique-local, multicast and reserved addresses (and names resolving to them) are refused.' },
    ]);
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    throw new AppError('validation_failed', 'The webhook URL is not a URL.', [{ field: 'url', message: 'Not a URL.' }]);
  }
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIP(bare)) {
    if (!isPublicAddress(bare)) throw refuse();
    return;
  }
  if (!host || localName(host)) throw refuse();
  const addresses = await lookup(host).catch(() => []);
  if (addresses.some((a) => !isPublicAddress(a.address))) throw refuse();
}

/** A `lookup` for net.connect that fails with TargetRefused when any address of the name is not public. */
const publicLookup =
  (lookupAll: LookupAll): net.LookupFunction =>
  (hostname, options, callback) => {
    if (localName(hostname.toLowerCase().replace(/\.$/, ''))) return callback(new TargetRefused(), '', 4);
    lookupAll(hostname).then(
      (found) => {
        const family = (options).family;
        const list = found.filter((a) => !family || family === 0 || a.family === family || family === `IPv${a.family}`);
        if (!list.length || found.some((a) => !isPublicAddress(a.address))) return callback(new TargetRefused(), '', 4);
        if ((options).all) return (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, list);
        callback(null, list[0]!.address, list[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };

export type PostResult = { status: number };

/**
 * POSTs a webhook body: the connection goes to the address the check passed (a literal is checked as it is; a
 * name through `publicLookup`), redirects are answered as they are (never followed), the answer's body is
 * discarded. Rejects with TargetRefused before any connection to a refused target.
 */
export function postWebhook(
  url: string,
  options: { headers: Record<string, string>; body: string; timeoutMs: number; allowPrivate: boolean; lookup?: LookupAll },
): Promise<PostResult> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && net.isIP(host) && !isPublicAddress(host)) return Promise.reject(new TargetRefused());
  const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : null;
  if (!client) return Promise.reject(new TargetRefused());
  return new Promise<PostResult>((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(options.allowPrivate ? {} : { lookup: publicLookup(options.lookup ?? systemLookup) }),
        agent: false,
      },
      (response) => {
        response.resume();
        response.on('error', () => undefined);
        resolve({ status: response.statusCode ?? 0 });
      },
    );
    request.on('error', (error) => reject(error.name === 'AbortError' ? Object.assign(new Error('timeout'), { name: 'TimeoutError' }) : error));
    request.end(options.body);
  });
}

/** What the delivery log says of a failure: never the internal detail of a refused target. */
export function deliveryError(error: unknown): string {
  if (error instanceof TargetRefused || (error as { cause?: unknown }).cause instanceof TargetRefused) return 'refused: the target is not a public address';
  const e = error as { name?: string; code?: string; message?: string };
  if (e.name === 'TimeoutError') return 'timeout';
  return String(e.code ?? e.message ?? 'connection failed').slice(0, 300);
}
