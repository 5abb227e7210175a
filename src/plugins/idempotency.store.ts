import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/types.js';
import { idempotencyKeys as keys } from './idempotency.table.js';

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export type ClaimResult =
  | { outcome: 'claimed' }
  | { outcome: 'mismatch' }
  | { outcome: 'in_progress'; stale: boolean }
  | { outcome: 'completed'; response: StoredResponse };

const PURGE_EVERY_MS = 60_000;
const PURGE_BATCH = 500;

const seconds = (ms: number) => sql`${`${Math.ceil(ms / 1000)} seconds`}::interval`;

/** SQL for Idempotency-Key claims. Every statement stands alone (autocommit), outside request transactions. */
export function createIdempotencyStore({ db, ttlMs, staleAfterMs }: { db: Db; ttlMs: number; staleAfterMs: number }) {
  let lastPurge = 0;

  /** Expired keys go lazily, a bounded batch at most once a minute per instance. */
  async function purgeExpired() {
    if (Date.now() - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = Date.now();
    const expired = db.select({ key: keys.key }).from(keys).where(lt(keys.expiresAt, sql`now()`)).limit(PURGE_BATCH);
    await db.delete(keys).where(and(lt(keys.expiresAt, sql`now()`), inArray(keys.key, expired)));
  }

  /**
   * Inserts the key as in_progress, or takes over an expired one; the primary key makes exactly
   * one concurrent claimer win. A loser reads what the winner left.
   */
  async function claim({ caller, key, requestHash, token }: { caller: string; key: string; requestHash: string; token: string }): Promise<ClaimResult> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const fresh = { requestHash, state: 'in_progress' as const, claimToken: token, expiresAt: sql`now() + ${seconds(ttlMs)}` };
      const won = await db
        .insert(keys)
        .values({ caller, key, ...fresh })
        .onConflictDoUpdate({
          target: [keys.caller, keys.key],
          set: { ...fresh, responseStatus: null, responseHeaders: null, responseBody: null, completedAt: null, createdAt: sql`now()` },
          setWhere: sql`${keys.expiresAt} <= now()`,
        })
        .returning({ token: keys.claimToken });
      if (won[0]?.token === token) return { outcome: 'claimed' };
      const [row] = await db
        .select({
          requestHash: keys.requestHash,
          state: keys.state,
          status: keys.responseStatus,
          headers: keys.responseHeaders,
          body: keys.responseBody,
          stale: sql<boolean>`${keys.createdAt} < now() - ${seconds(staleAfterMs)}`,
        })
        .from(keys)
        .where(and(eq(keys.caller, caller), eq(keys.key, key)));
      // Released (a 5xx) between our insert and this read: try to claim again.
      if (!row) continue;
      if (row.requestHash !== requestHash) return { outcome: 'mismatch' };
      if (row.state === 'in_progress') return { outcome: 'in_progress', stale: row.stale };
      return { outcome: 'completed', response: { status: row.status!, headers: row.headers ?? {}, body: row.body } };
    }
    return { outcome: 'in_progress', stale: false };
  }

  async function complete({ caller, key, token, response }: { caller: string; key: string; token: string; response: StoredResponse }) {
    await db
      .update(keys)
      .set({
        state: 'completed',
        responseStatus: response.status,
        responseHeaders: response.headers,
        responseBody: response.body,
        completedAt: sql`now()`,
      })
      .where(and(eq(keys.caller, caller), eq(keys.key, key), eq(keys.claimToken, token)));
  }

  /** Frees the key so a retry runs again: only for outcomes that changed nothing (5xx). */
  async function release({ caller, key, token }: { caller: string; key: string; token: string }) {
    await db.delete(keys).where(and(eq(keys.caller, caller), eq(keys.key, key), eq(keys.claimToken, token), eq(keys.state, 'in_progress')));
  }

  return { claim, complete, release, purgeExpired };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
