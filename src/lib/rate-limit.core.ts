/** What both rate limiters (memory, Redis) share: the contract and the arithmetic of a window. */
/** The state of one bucket after a hit (or a peek). */
export interface RateLimitResult {
  /** Whether this request is within the limit (for a peek: whether one more would be). */
  allowed: boolean;
  limit: number;
  /** Requests left in the current window, never below 0. */
  remaining: number;
  /** Whole seconds until the window ends, at least 1. */
  resetSeconds: number;
}

/**
 * Fixed-window counters keyed by bucket name (`ip:<address>`, `key:<key id>`, …). The window of a
 * bucket starts with its first hit and lasts `windowMs`. Bucket names must never hold a secret: callers
 * pass key ids, not API keys, since names end up in Redis and in memory dumps.
 */
export interface RateLimiter {
  readonly kind: 'memory' | 'redis';
  /** Counts one request against the bucket. */
  hit(bucket: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /** Reads the bucket without counting. */
  peek(bucket: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /**
   * hit and peek answered at once, by a limiter that needs no round trip (the memory one): the hooks
   * of every request use them when they are there, and spare a promise and a tick each.
   */
  readonly now?: {
    hit(bucket: string, limit: number, windowMs: number): RateLimitResult;
    peek(bucket: string, limit: number, windowMs: number): RateLimitResult;
  };
  close(): Promise<void>;
}

// Our API keys start with this (src/modules/api-keys): a bucket named after one is a programming error.
const API_KEY_LIKE = /kpo_live_/;

export function checkBucket(bucket: string) {
  if (API_KEY_LIKE.test(bucket)) throw new Error('rate-limit bucket names take key ids, never API keys');
}

export function resultOf(count: number, limit: number, msLeft: number, counted: boolean): RateLimitResult {
  return {
    allowed: counted ? count <= limit : count < limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
  };
}
