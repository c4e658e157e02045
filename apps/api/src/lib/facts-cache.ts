import type { GroupFacts } from '../policy/facts.ts';

/**
 * What a user is to a group (GroupFacts: their roles there and above it), kept in memory so that reading a group
 * space costs its page and nothing more: the statement a cached reader runs is the bare page, the policy applied to
 * the facts before it.
 *
 * Kept exact like PrincipalCache: the database notifies every process at commit when a statement changed someone's
 * memberships (`facts:<user id>`), many people's, or the tree above groups (`facts:*`), and each process forgets; a
 * write answered by this process forgets everything before its answer leaves (plugins/auth.ts), so the caller's next
 * request never meets what the write changed. While the listening connection is down the cache is empty and
 * bypassed. Facts read while anything was forgotten are not kept (epoch), and every entry expires after `ttlMs`.
 */
type Entry = { facts: GroupFacts; expires: number };

export class GroupFactsCache {
  readonly #users = new Map<string, Map<string, Entry>>();
  #size = 0;
  #epoch = 0;
  #live = false;

  constructor(
    readonly ttlMs = 60_000,
    readonly max = 50_000,
  ) {}

  /** Read before the statement whose facts `put` keeps. */
  get epoch() {
    return this.#epoch;
  }

  setLive(live: boolean) {
    this.#live = live;
    this.clear();
  }

  peek(userId: string, groupId: string): GroupFacts | undefined {
    if (!this.#live) return undefined;
    const hit = this.#users.get(userId)?.get(groupId);
    return hit && hit.expires > Date.now() ? hit.facts : undefined;
  }

  /** Keeps facts read from the database while the epoch was `epoch`: not if anything was forgotten since. */
  put(userId: string, groupId: string, facts: GroupFacts, epoch: number) {
    if (!this.#live || epoch !== this.#epoch || !facts.exists) return;
    while (this.#size >= this.max) {
      const [oldest, groups] = this.#users.entries().next().value!;
      this.#users.delete(oldest);
      this.#size -= groups.size;
    }
    let groups = this.#users.get(userId);
    if (!groups) this.#users.set(userId, (groups = new Map<string, Entry>()));
    if (!groups.has(groupId)) this.#size++;
    groups.set(groupId, { facts, expires: Date.now() + this.ttlMs });
  }

  forgetUser(userId: string) {
    this.#epoch++;
    const groups = this.#users.get(userId);
    if (groups) {
      this.#size -= groups.size;
      this.#users.delete(userId);
    }
  }

  clear() {
    this.#epoch++;
    this.#users.clear();
    this.#size = 0;
  }
}
