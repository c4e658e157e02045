import { randomUUID } from 'node:crypto';

export type Stats = {
  requests: number;
  /** Answers a client would retry (connection cut, 502/503/504, 409 "still running"), and were retried. */
  retried: number;
  /** Requests that still had no final answer after every retry. */
  failed: number;
  byStatus: Map<number, number>;
  byNode: Map<string, number>;
};

export const stats: Stats = { requests: 0, retried: 0, failed: 0, byStatus: new Map(), byNode: new Map() };

export type Answer = { status: number; json: () => unknown; bytes: Buffer; headers: Headers };
export type Call = { method?: string; path: string; token?: string; body?: unknown; form?: FormData; key?: boolean | string };

const RETRY_STATUS = new Set([502, 503, 504]);

/**
 * A client as an integration should be written: every write carries an Idempotency-Key, and whatever looks like a
 * lost answer (the connection cut by a dying node, a gateway error, the key's first request still running) is sent
 * again with the same key. Returns the final answer, or null when none came after every retry.
 */
export async function call(base: string, c: Call, tries = 12): Promise<Answer | null> {
  const key = c.key === true ? randomUUID() : c.key || undefined;
  const headers: Record<string, string> = {};
  if (c.token) headers.authorization = `Bearer ${c.token}`;
  if (key) headers['idempotency-key'] = key;
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  for (let attempt = 1; attempt <= tries; attempt += 1) {
    stats.requests += 1;
    try {
      const res = await fetch(`${base}${c.path}`, {
        method: c.method ?? 'GET',
        headers,
        body: c.form ?? (c.body !== undefined ? JSON.stringify(c.body) : undefined),
        signal: AbortSignal.timeout(20_000),
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1);
      const node = res.headers.get('x-covey-node');
      if (node) stats.byNode.set(node, (stats.byNode.get(node) ?? 0) + 1);
      const stillRunning = res.status === 409 && key && bytes.toString().includes('still running');
      if (!RETRY_STATUS.has(res.status) && !stillRunning) {
        return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString()) as unknown };
      }
    } catch {
      stats.byStatus.set(0, (stats.byStatus.get(0) ?? 0) + 1);
    }
    if (attempt < tries) {
      stats.retried += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 1500)));
    }
  }
  stats.failed += 1;
  return null;
}

/** A call that must succeed (setup and checks): throws with the answer otherwise. */
export async function must(base: string, c: Call, expected = [200, 201, 204]): Promise<Answer> {
  const res = await call(base, c);
  if (!res || !expected.includes(res.status)) {
    throw new Error(`${c.method ?? 'GET'} ${c.path} answered ${res?.status ?? 'nothing'}: ${res?.bytes.toString().slice(0, 300) ?? ''}`);
  }
  return res;
}
