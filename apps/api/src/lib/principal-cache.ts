/**
 * Who a bearer token speaks for (a user's role and status, a client's revocation), kept in memory so that an
 * authenticated request does not cost a database round trip before its own work.
 *
 * It is only used while it can be kept exact: the database notifies every process (trigger → NOTIFY) when a user's
 * role or status changes or a client is revoked, and each process evicts the entry; the writing process also evicts
 * at once after its commit. While the listening connection is down the cache is empty and bypassed. A read that
 * raced with an eviction is not kept (epoch check), and every entry expires after `ttlMs` regardless.
 */
export class PrincipalCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();
  #epoch = 0;
  #live = false;

  constructor(
    readonly ttlMs = 60_000,
    readonly max = 50_000,
  ) {}

  get live() {
    return this.#live;
  }

  /** Notifications flow (true) or may be missed (false): either way, start from nothing. */
  setLive(live: boolean) {
    this.#live = live;
    this.clear();
  }

  /** The cached value, without a promise (a signed-in request's usual case); undefined when `get` must load it. */
  peek(key: string): V | undefined {
    if (!this.#live) return undefined;
    const hit = this.#entries.get(key);
    return hit && hit.expires > Date.now() ? hit.value : undefined;
  }

  async get(key: string, load: () => Promise<V | null>): Promise<V | null> {
    if (this.#live) {
      const hit = this.#entries.get(key);
      if (hit && hit.expires > Date.now()) return hit.value;
      if (hit) this.#entries.delete(key);
    }
    const epoch = this.#epoch;
    const value = await load();
    if (value !== null && this.#live && epoch === this.#epoch) {
      if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(key, { value, expires: Date.now() + this.ttlMs });
    }
    return value;
  }

  evict(key: string) {
    this.#epoch++;
    this.#entries.delete(key);
  }

  clear() {
    this.#epoch++;
    this.#entries.clear();
  }
}
