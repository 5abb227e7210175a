import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/types.js';
import { uuidv7 } from '../lib/ids.js';
import { preparedStatement } from '../db/prepared.js';
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

const p = sql.placeholder;
const completedAnswer = {
  requestHash: p('requestHash'),
  state: 'completed' as const,
  claimToken: p('token'),
  responseStatus: p('status'),
  responseHeaders: sql`${p('headers')}::jsonb`,
  responseBody: p('body'),
  completedAt: sql`now()`,
  expiresAt: sql`now() + ${p('ttl')}::interval`,
};
// On the hottest write's path (a report submission stores its answer with it): built once.
const insertCompleted = preparedStatement((executor) =>
  executor
    .insert(keys)
    .values({ caller: p('caller'), key: p('key'), ...completedAnswer })
    .onConflictDoUpdate({
      target: [keys.caller, keys.key],
      // An expired key is taken over with everything the insert would have written.
      set: Object.fromEntries(
        [...(Object.keys(completedAnswer) as (keyof typeof completedAnswer)[]), 'createdAt' as const].map((field) => [field, sql.raw(`excluded.${keys[field].name}`)]),
      ),
      setWhere: sql`${keys.expiresAt} <= now()`,
    })
    .returning({ caller: keys.caller })
    .prepare('idempotency_store_completed'),
);

/** An interval's text, whole seconds rounded up. */
const intervalText = (ms: number) => `${Math.ceil(ms / 1000)} seconds`;
const seconds = (ms: number) => sql`${intervalText(ms)}::interval`;

/**
 * SQL for Idempotency-Key claims. The claim-first statements stand alone (autocommit), outside request
 * transactions; storeCompleted also runs inside the write's own transaction (routes that store their
 * answer with their write).
 */
export function createIdempotencyStore({ db, ttlMs, staleAfterMs }: { db: Db; ttlMs: number; staleAfterMs: number }) {
  let lastPurge = 0;

  /** What a request finds under a key someone holds: undefined when there is no row (any more). */
  async function lookup(executor: Executor, { caller, key, requestHash }: { caller: string; key: string; requestHash: string }): Promise<Exclude<ClaimResult, { outcome: 'claimed' }> | undefined> {
    const [row] = await executor
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
    if (!row) return undefined;
    if (row.requestHash !== requestHash) return { outcome: 'mismatch' };
    if (row.state === 'in_progress') return { outcome: 'in_progress', stale: row.stale };
    return { outcome: 'completed', response: { status: row.status!, headers: row.headers ?? {}, body: row.body } };
  }

  /**
   * Stores a finished answer under a free (or expired) key in one statement; false when the key is
   * held. Inside the write's transaction the key and the write commit together, and a concurrent
   * request with the same key waits on the key's row until that transaction ends.
   */
  async function storeCompleted(
    executor: Executor,
    { caller, key, requestHash, response }: { caller: string; key: string; requestHash: string; response: StoredResponse },
  ): Promise<boolean> {
    const stored = await insertCompleted(executor, {
      caller,
      key,
      requestHash,
      token: uuidv7(),
      status: response.status,
      headers: JSON.stringify(response.headers),
      body: response.body,
      ttl: intervalText(ttlMs),
    });
    return stored.length > 0;
  }

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
      const held = await lookup(db, { caller, key, requestHash });
      // Released (a 5xx) between our insert and this read: try to claim again.
      if (held) return held;
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

  return { claim, complete, release, purgeExpired, lookup, storeCompleted };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
