import { z } from 'zod';
import type { Db, Executor } from '../../../db/types.js';
import { asOfDefault, assertAsOfInYear } from '../../../lib/schemas.js';
import { enterKnownAt, settledInstant } from '../../../db/history.js';
import type { CachedAnswer, FiguresCache } from './figures.cache.js';
import type { FactsParams } from './figures.facts.js';
import { attachDeclarations, derivedValuesOf, groupsOf, summaryFiguresOf } from './figures.present.js';
import { declarationsAgainst, figuresVersionIn, groupRows, planForKnownAt, summaryRows, tuneForFigures } from './figures.repository.js';
import {
  breakdownSchema,
  summarySchema,
  type Breakdown,
  type BreakdownQuery,
  type Summary,
  type SummaryQuery,
} from './figures.schemas.js';

/** `include` and `maxAge` come with the metrics routes only (the exports ask without them). */
type WithInclude<Q> = Q & { include?: 'projectIds' | undefined; maxAge?: number | undefined };

/**
 * An answer as the route sends it, and what it was computed from: the figures' version and the
 * instant of its snapshot (`knownAt`: the knownAt asked, or the snapshot's own), so that asking again
 * with that knownAt reproduces it.
 */
export type FiguresAnswer = CachedAnswer;

function paramsOf(query: SummaryQuery): FactsParams {
  assertAsOfInYear(query.year, query.asOf);
  return {
    year: query.year,
    list: query.list,
    asOf: asOfDefault(query.asOf, query.knownAt),
    knownAt: query.knownAt,
    largeThreshold: query.largeThreshold,
    basis: query.basis,
  };
}

/** "Today" resolved once: it is part of the question, and of its cache key. */
function resolved<Q extends SummaryQuery>(query: Q): Q {
  return { ...query, asOf: paramsOf(query).asOf };
}

/** What every answer first says of its question: which list and year, as of when, as known when. */
function askedOf(query: SummaryQuery, params: FactsParams) {
  return { year: params.year, list: query.list, asOf: params.asOf, knownAt: params.knownAt ?? null, basis: params.basis };
}

/** The cache key of a question: everything its answer depends on besides the data. */
function cacheKeyOf(kind: string, params: FactsParams, extra: unknown[] = []): string {
  return JSON.stringify([kind, params.year, params.list, params.asOf, params.knownAt ?? null, params.basis, params.largeThreshold, ...extra]);
}

/**
 * The JSON a figure route sends: the answer encoded with that route's response schema, then
 * stringified, exactly what fastify-type-provider-zod's serializer would do. Made here rather than
 * by the route because cached answers are kept as this text, so that a hit is sent as it is,
 * without encoding it again; cached or not, the figure routes send only this.
 */
function responseJson<S extends z.ZodType>(schema: S, value: z.output<S>): string {
  return JSON.stringify(z.encode(schema, value));
}

const GROUPS_PER_TURN = 25;

/**
 * The breakdown's JSON, the same text as responseJson(breakdownSchema, value), encoded a few groups
 * at a time with a turn of the event loop between them: a province's breakdown by department (300
 * groups, ≈650 K characters) took 30–60 ms to encode in one go, during which every other request of
 * the instance waited — cached summaries included, which under a write stream are refreshed every
 * second. `groups` is the schema's last member, so the encoded head ends with `"groups":[]}`.
 */
export async function breakdownResponseJson(value: Breakdown): Promise<string> {
  const head = JSON.stringify(z.encode(breakdownSchema, { ...value, groups: [] }));
  const tail = '"groups":[]}';
  if (!head.endsWith(tail)) return responseJson(breakdownSchema, value);
  const groupSchema = breakdownSchema.shape.groups.element;
  const parts: string[] = [];
  for (const [i, group] of value.groups.entries()) {
    if (i > 0 && i % GROUPS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    parts.push(JSON.stringify(z.encode(groupSchema, group)));
  }
  return `${head.slice(0, -tail.length)}"groups":[${parts.join(',')}]}`;
}

/**
 * The figures' answers, and the one place that decides how one is made: in which transaction
 * (inFiguresSnapshot), from the cache or computed (answerJson), serialised how (responseJson).
 * Without `cache` every answer is computed.
 */
export function createFiguresUsecases({
  db,
  cache,
  onRefreshError = () => {},
}: {
  db: Db;
  cache?: FiguresCache;
  /** A background refresh (maxAge) that failed: logged by the route; the kept answer stays. */
  onRefreshError?: (error: unknown) => void;
}) {
  /**
   * Every answer is computed in one read-only REPEATABLE READ transaction: its statements (the
   * figures, their second pass with ids, the declarations) read one snapshot, and the figures'
   * version read in it names that snapshot (see answerJson). The version counter is not versioned,
   * so it is read live even as known at an earlier instant: an answer as of then is reused only while
   * nothing has been committed since, since a write that began before that instant and committed
   * after it is part of what was known then.
   */
  function inFiguresSnapshot<T>(knownAt: string | undefined, work: (tx: Executor, snapshot: { version: string; at: string }) => Promise<T>): Promise<T> {
    return db.transaction(
      async (tx) => {
        const snapshot = await tuneForFigures(tx);
        // As known at an earlier instant: the same statements, on the versions current then.
        if (knownAt !== undefined) {
          await enterKnownAt(tx, knownAt);
          await planForKnownAt(tx);
        }
        return work(tx, snapshot);
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
  }

  async function summaryIn(tx: Executor, query: WithInclude<SummaryQuery>): Promise<Summary> {
    const params = paramsOf(query);
    const rows = await summaryRows(tx, { params, include: query.include === 'projectIds' });
    const { projectIdsIncluded, figures, byStage } = summaryFiguresOf({ rows, asOf: params.asOf });
    const derived = derivedValuesOf({ figures, byStage });
    const declarations = await declarationsAgainst(tx, { list: params.list, year: params.year, asOf: params.asOf, derived });
    attachDeclarations({ figures, byStage, declarations });
    return {
      ...askedOf(query, params),
      largeThreshold: params.largeThreshold,
      projectIdsIncluded,
      figures,
      byStage,
      declarations,
    };
  }

  async function breakdownIn(tx: Executor, query: WithInclude<BreakdownQuery>): Promise<Breakdown> {
    const params = paramsOf(query);
    const rows = await groupRows(tx, { params, by: query.by, include: query.include === 'projectIds' });
    return {
      ...askedOf(query, params),
      by: query.by,
      // No group means no project: nothing left out.
      projectIdsIncluded: rows[0]?.ids_included ?? true,
      groups: groupsOf({ rows, by: query.by, asOf: params.asOf }),
    };
  }

  /**
   * The JSON answer to a question: the cached one while the figures' version is the one just read,
   * else computed in a snapshot whose own version read is the version it is kept under (so the
   * answer and its version describe the same instant). Without a `key` (answers that list every
   * project on request: they can be large) or a cache, computed and not kept.
   *
   * With `maxAge` (seconds, current records only): a kept answer at most that old is served even if
   * something was written since, and the question is recomputed in the background (one refresh per
   * question at a time), so readers under a stream of writes are not each made to wait for a pass over
   * the list. Such an answer is computed as known at an instant (settledInstant, without waiting) and states it
   * (FiguresAnswer.knownAt, and the body's knownAt): asked again with that knownAt, the same answer,
   * exactly. Kept apart from the answers without maxAge, which include every write committed before
   * the request (read-your-writes) and state their snapshot's start.
   */
  async function answerJson<S extends z.ZodType>({
    key,
    knownAt,
    maxAge = 0,
    schema,
    compute,
    encode,
  }: {
    key?: string;
    /** Computed as known at this instant (part of `key` too). */
    knownAt?: string | undefined;
    maxAge?: number | undefined;
    schema: S;
    /** The answer in `tx`, as known at `knownAt` when given. */
    compute: (tx: Executor, knownAt: string | undefined) => Promise<z.output<S>>;
    /** Its JSON (default: responseJson with `schema`), e.g. encoded in steps for a large answer. */
    encode?: (value: z.output<S>) => string | Promise<string>;
  }): Promise<FiguresAnswer> {
    const jsonOf = encode ?? ((value: z.output<S>) => responseJson(schema, value));
    const computeNow = async (): Promise<FiguresAnswer> => {
      const computedAt = Date.now();
      // Encoded after the transaction: its snapshot is not held open while the answer is written out.
      const { value, snapshot } = await inFiguresSnapshot(knownAt, async (tx, snapshot) => ({ value: await compute(tx, knownAt), snapshot }));
      return { version: snapshot.version, knownAt: knownAt ?? snapshot.at, computedAt, json: await jsonOf(value) };
    };
    if (!cache || key === undefined) return computeNow();
    if (!(maxAge > 0 && knownAt === undefined)) {
      const current = await figuresVersionIn(db);
      return cache.fresh({ key, version: current }) ?? cache.computeOnce({ key, version: current }, computeNow);
    }

    // maxAge: served from memory, no database round trip, while the kept answer's instant is at most
    // maxAge old; once it is a second old (or half of maxAge) a refresh, one at a time, computes it
    // again as known at a new instant. (Its version cannot tell that nothing was written since: the
    // snapshot's version counts writes begun after the instant the answer is known at.)
    const boundedKey = `${key}\u0000maxAge`;
    const exact = async (): Promise<FiguresAnswer> => {
      const instant = await settledInstant(db, { waitMs: 0 });
      const computedAt = Date.now() - instant.lagMs;
      const { value, snapshot } = await inFiguresSnapshot(instant.at, async (tx, snapshot) => ({ value: await compute(tx, instant.at), snapshot }));
      return { version: snapshot.version, knownAt: instant.at, computedAt, json: await jsonOf(value) };
    };
    const now = Date.now();
    const kept = cache.recent({ key: boundedKey, notBefore: now - maxAge * 1000 });
    if (kept !== undefined) {
      if (now - kept.computedAt >= Math.min(1000, (maxAge * 1000) / 2)) cache.refresh(boundedKey, exact, onRefreshError);
      return kept;
    }
    return cache.computeOnce({ key: boundedKey, version: '' }, exact);
  }

  async function summary(query: SummaryQuery): Promise<Summary> {
    return inFiguresSnapshot(query.knownAt, (tx) => summaryIn(tx, query));
  }

  async function breakdown(query: BreakdownQuery): Promise<Breakdown> {
    return inFiguresSnapshot(query.knownAt, (tx) => breakdownIn(tx, query));
  }

  async function summaryJson(query: WithInclude<SummaryQuery>): Promise<FiguresAnswer> {
    const question = resolved(query);
    const key = query.include === 'projectIds' ? undefined : cacheKeyOf('summary', paramsOf(question));
    return answerJson({ key, knownAt: query.knownAt, maxAge: query.maxAge, schema: summarySchema, compute: (tx, knownAt) => summaryIn(tx, { ...question, knownAt }) });
  }

  async function breakdownJson(query: WithInclude<BreakdownQuery>): Promise<FiguresAnswer> {
    const question = resolved(query);
    const key = query.include === 'projectIds' ? undefined : cacheKeyOf('breakdown', paramsOf(question), [query.by]);
    return answerJson({
      key,
      knownAt: query.knownAt,
      maxAge: query.maxAge,
      schema: breakdownSchema,
      compute: (tx, knownAt) => breakdownIn(tx, { ...question, knownAt }),
      encode: breakdownResponseJson,
    });
  }

  return { summary, breakdown, summaryJson, breakdownJson, answerJson };
}
