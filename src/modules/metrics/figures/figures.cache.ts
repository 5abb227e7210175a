import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../../db/types.js';
import { rowsOf } from '../../../db/rows.js';

/** The version of the figures' inputs as one snapshot sees it (see figures.versions.table.ts). */
export async function figuresVersionIn(executor: Executor): Promise<string> {
  const [row] = await rowsOf<{ version: string }>(executor, sql`select coalesce(sum(changes), 0)::text as version from figure_versions`);
  return row!.version;
}

interface Entry {
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
 * Serialised answers of the figure queries (summary, breakdown), each with the version of the inputs
 * it was computed from. An answer is served again only while a fresh read of the version gives the
 * same number, i.e. while no transaction that changed a project, plan, status, report, declared
 * figure, leader, assignment or department has committed since: exact, not "recent enough", on any
 * number of instances, with no invalidation messages. The price of a hit is one read of 64 rows.
 *
 * Concurrent misses for the same question and version share one computation, so a cold start under
 * load runs each question once instead of once per waiting client.
 */
export function createFiguresCache(db: Db, { maxEntries = 64, maxEntryChars = 256 * 1024 }: FiguresCacheOptions = {}) {
  const entries = new Map<string, Entry>();
  const running = new Map<string, Promise<Entry>>();
  let hits = 0;
  let misses = 0;

  function remember(key: string, entry: Entry) {
    if (entry.json.length > maxEntryChars) return;
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  }

  /**
   * The JSON answer to `key`: from the cache when its version is current, else computed by `compute`
   * in a read-only REPEATABLE READ transaction whose snapshot also gives the version it is stored
   * under (so the answer and its version describe the same instant). `schema` serialises it exactly
   * as the route's response serialiser would.
   */
  async function answer<S extends z.ZodType>(key: string, schema: S, compute: (tx: Executor) => Promise<z.output<S>>): Promise<string> {
    const current = await figuresVersionIn(db);
    const hit = entries.get(key);
    if (hit && hit.version === current) {
      hits++;
      entries.delete(key);
      entries.set(key, hit);
      return hit.json;
    }
    misses++;
    const flightKey = `${current}\u0000${key}`;
    let flight = running.get(flightKey);
    if (!flight) {
      // The snapshot is taken by the version read, at or after `current`: a request that joins this
      // flight (it read the same `current`) gets an answer at least as recent as its own read.
      flight = db
        .transaction(
          async (tx) => {
            const version = await figuresVersionIn(tx);
            const value = await compute(tx);
            return { version, json: JSON.stringify(z.encode(schema, value)) };
          },
          { isolationLevel: 'repeatable read', accessMode: 'read only' },
        )
        .finally(() => running.delete(flightKey));
      running.set(flightKey, flight);
    }
    const entry = await flight;
    remember(key, entry);
    return entry.json;
  }

  return {
    answer,
    stats: () => ({ entries: entries.size, hits, misses }),
  };
}

export type FiguresCache = ReturnType<typeof createFiguresCache>;
