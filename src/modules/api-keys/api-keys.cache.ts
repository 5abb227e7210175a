import type { Database } from '../../db/types.js';
import type { Principal } from '../../lib/principal.js';

export const API_KEYS_CHANNEL = 'kpo_api_keys';
const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal;
  expiresAtMs: number;
  lastUsedAtMs: number;
}

/**
 * Authenticated keys, by hash, so that a request costs no key lookup. Sound only while PostgreSQL's
 * notifications are followed: a trigger on api_keys (migration 0009) announces every revocation,
 * expiry, role or binding change and every delete, and the entry is dropped when it arrives. While
 * the listening connection is down the cache is emptied and not used, and every request looks its
 * key up as before. The instance that revokes a key drops it itself before answering, so its own next
 * request is refused; other instances drop it when the notification arrives, milliseconds later.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();
  private following = false;
  /**
   * Bumped by every drop: a lookup that started before a drop (and may have read the key before it
   * was revoked) must not put its answer in the cache after it.
   */
  private generation = 0;
  private stop: (() => Promise<void>) | undefined;

  async follow(database: Database): Promise<void> {
    this.stop = await database.listen(API_KEYS_CHANNEL, {
      message: (payload) => (payload === '*' ? this.clear() : this.evict(payload)),
      state: (following) => {
        this.following = following;
        this.clear();
      },
    });
  }

  async close(): Promise<void> {
    this.following = false;
    this.clear();
    await this.stop?.();
  }

  /** Take before looking a key up; hand to `set` with the answer. */
  get version(): number {
    return this.generation;
  }

  private clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  get(hash: string, now = Date.now()): Entry | undefined {
    if (!this.following) return undefined;
    const entry = this.entries.get(hash);
    if (entry && entry.expiresAtMs <= now) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry;
  }

  set(hash: string, entry: Entry, version: number): void {
    if (!this.following || version !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) {
      // Oldest first (a Map iterates in insertion order).
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(hash, entry);
  }

  /** Drops every entry of a key id. */
  evict(keyId: string): void {
    this.generation += 1;
    for (const [hash, entry] of this.entries) if (entry.principal.keyId === keyId) this.entries.delete(hash);
  }

  get size(): number {
    return this.entries.size;
  }
}
