/** An answer as the route sends it, with the version of the inputs it was computed from and the instant of its snapshot. */
export interface CachedAnswer {
  version: string;
  json: string;
  /** The snapshot's instant (the read transaction's start): asked with knownAt = this, the same figures. */
  knownAt: string;
  /** When this instance began computing it (its clock, ms since the epoch): what maxAge and Age measure. */
  computedAt: number;
  /**
   * The JSON compressed, made once per answer the first time a client that accepts the encoding
   * asks (figures.routes.ts): a hit is then sent without compressing it again.
   */
  compressed?: Partial<Record<'br' | 'gzip', Promise<Buffer>>>;
}

export interface FiguresCacheOptions {
  /** Answers kept, least recently used dropped first. */
  maxEntries?: number;
  /** Answers larger than this (in UTF-16 code units of their JSON) are not kept. */
  maxEntryChars?: number;
  /** All kept answers together at most this many UTF-16 code units; least recently used dropped first. */
  maxTotalChars?: number;
}

/**
 * Serialised answers of the figure questions (summary, breakdown) in this instance's memory, each
 * with the version of the inputs it was computed from (figures.versions.table.ts). An answer is
 * served again only while a fresh read of the version gives the same number, i.e. while no
 * transaction that changed a project, plan, status, report, declared figure, leader, assignment or
 * department has committed since: exact, not "recent enough", on any number of instances, with no
 * invalidation messages. Reading the version and computing, in which transaction, is the use case's
 * (figures.usecases.ts); this keeps the answers and shares running computations.
 *
 * Concurrent misses for the same question and version share one computation, so a cold start under
 * load runs each question once instead of once per waiting client.
 */
export function createFiguresCache({ maxEntries = 64, maxEntryChars = 2 * 1024 * 1024, maxTotalChars = 8 * 1024 * 1024 }: FiguresCacheOptions = {}) {
  // A breakdown by department of a province's list (300 departments) is ≈750 K characters: with the
  // former 256 K bound it was never kept, so every reader waited for a computation. The total bound
  // (≈16 MB at two bytes a character, less for ASCII) is what keeps memory flat.
  const entries = new Map<string, CachedAnswer>();
  let totalChars = 0;
  const running = new Map<string, Promise<CachedAnswer>>();
  /** Keys being refreshed in the background: at most one refresh per question at a time. */
  const refreshing = new Set<string>();
  let hits = 0;
  let misses = 0;
  let staleHits = 0;
  let computations = 0;

  function forget(key: string) {
    const kept = entries.get(key);
    if (kept === undefined) return;
    totalChars -= kept.json.length;
    entries.delete(key);
  }

  function remember(key: string, entry: CachedAnswer) {
    if (entry.json.length > maxEntryChars) return;
    forget(key);
    entries.set(key, entry);
    totalChars += entry.json.length;
    while (entries.size > maxEntries || totalChars > maxTotalChars) forget(entries.keys().next().value!);
  }

  /** The answer kept for `key` if it was computed at `version`, the version just read; counted as a hit or a miss. */
  function fresh({ key, version }: { key: string; version: string }): CachedAnswer | undefined {
    const hit = entries.get(key);
    if (hit && hit.version === version) {
      hits++;
      entries.delete(key);
      entries.set(key, hit);
      return hit;
    }
    misses++;
    return undefined;
  }

  /**
   * The answer kept for `key`, whatever its version, if it was computed at or after `notBefore` (ms
   * since the epoch, this instance's clock): the bounded-age path (maxAge). Counted as a stale hit.
   */
  function recent({ key, notBefore }: { key: string; notBefore: number }): CachedAnswer | undefined {
    const hit = entries.get(key);
    if (!hit || hit.computedAt < notBefore) return undefined;
    staleHits++;
    return hit;
  }

  /**
   * Recomputes `key` in the background (the caller does not wait), unless a refresh of it is already
   * running: under a steady stream of writes each question is recomputed back to back, once at a
   * time, instead of once per reader. A failure is handed to `onError`; the kept answer stays.
   */
  function refresh(key: string, compute: () => Promise<CachedAnswer>, onError: (error: unknown) => void): void {
    if (refreshing.has(key)) return;
    refreshing.add(key);
    computeOnce({ key, version: '' }, compute)
      .catch(onError)
      .finally(() => refreshing.delete(key));
  }

  /**
   * Runs `compute` for `key` at `version` (the version its caller read) unless the same computation
   * is running already, whose answer is then shared; the answer is kept under the version it reports.
   * With `version` '' the computation reads its own version: every caller shares one.
   */
  async function computeOnce({ key, version }: { key: string; version: string }, compute: () => Promise<CachedAnswer>): Promise<CachedAnswer> {
    const flightKey = `${version}\u0000${key}`;
    let flight = running.get(flightKey);
    if (!flight) {
      computations++;
      flight = compute().finally(() => running.delete(flightKey));
      running.set(flightKey, flight);
    }
    const entry = await flight;
    // A slower computation of an older version never replaces a newer answer.
    const kept = entries.get(key);
    if (!kept || BigInt(kept.version) <= BigInt(entry.version)) remember(key, entry);
    return entry;
  }

  return {
    fresh,
    recent,
    refresh,
    computeOnce,
    stats: () => ({ entries: entries.size, hits, misses, staleHits, computations }),
    /** UTF-16 code units of all kept answers (what maxTotalChars bounds). */
    size: () => totalChars,
  };
}

export type FiguresCache = ReturnType<typeof createFiguresCache>;
