/** An answer as the route sends it, with the version of the inputs it was computed from. */
export interface CachedAnswer {
  version: string;
  json: string;
}

export interface FiguresCacheOptions {
  /** Answers kept, least recently used dropped first. */
  maxEntries?: number;
  /** Answers larger than this (in UTF-16 code units of their JSON) are not kept. */
  maxEntryChars?: number;
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
export function createFiguresCache({ maxEntries = 64, maxEntryChars = 256 * 1024 }: FiguresCacheOptions = {}) {
  const entries = new Map<string, CachedAnswer>();
  const running = new Map<string, Promise<CachedAnswer>>();
  let hits = 0;
  let misses = 0;
  let computations = 0;

  function remember(key: string, entry: CachedAnswer) {
    if (entry.json.length > maxEntryChars) return;
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  }

  /** The answer kept for `key` if it was computed at `version`, the version just read; counted as a hit or a miss. */
  function fresh({ key, version }: { key: string; version: string }): string | undefined {
    const hit = entries.get(key);
    if (hit && hit.version === version) {
      hits++;
      entries.delete(key);
      entries.set(key, hit);
      return hit.json;
    }
    misses++;
    return undefined;
  }

  /**
   * Runs `compute` for `key` at `version` (the version its caller read) unless the same computation
   * is running already, whose answer is then shared; the answer is kept under the version it reports.
   */
  async function computeOnce({ key, version }: { key: string; version: string }, compute: () => Promise<CachedAnswer>): Promise<string> {
    const flightKey = `${version}\u0000${key}`;
    let flight = running.get(flightKey);
    if (!flight) {
      computations++;
      flight = compute().finally(() => running.delete(flightKey));
      running.set(flightKey, flight);
    }
    const entry = await flight;
    remember(key, entry);
    return entry.json;
  }

  return {
    fresh,
    computeOnce,
    stats: () => ({ entries: entries.size, hits, misses, computations }),
  };
}

export type FiguresCache = ReturnType<typeof createFiguresCache>;
