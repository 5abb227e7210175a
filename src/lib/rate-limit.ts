import { checkBucket, resultOf, type RateLimiter, type RateLimitResult } from './rate-limit.core.js';

export type { RateLimiter, RateLimitResult };

export interface RateLimiterOptions {
  /** redis:// or rediss:// URL: counters shared by every instance. Without it: this process's memory. */
  redisUrl?: string;
  /** Prefix of every Redis key; default `kpo:rl:`. */
  prefix?: string;
  logger?: { warn(obj: object, msg: string): void };
}

/** The Redis client (ioredis, ~12 MB) is loaded only when REDIS_URL asks for it. */
export async function createRateLimiter(options: RateLimiterOptions): Promise<RateLimiter> {
  const logger = options.logger ?? { warn: (obj: object, msg: string) => console.warn(msg, obj) };
  if (!options.redisUrl) return new MemoryRateLimiter();
  const { RedisRateLimiter } = await import('./rate-limit.redis.js');
  return new RedisRateLimiter(options.redisUrl, options.prefix ?? 'kpo:rl:', logger);
}

const SWEEP_INTERVAL_MS = 30_000;
/** Past this many buckets a hit also sweeps (at most once a second), between timer sweeps. */
const SWEEP_ON_HIT_ABOVE = 50_000;

/** One process's counters: right for a single instance, and the fallback when REDIS_URL is unset. */
class MemoryRateLimiter implements RateLimiter {
  readonly kind = 'memory' as const;
  private readonly buckets = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = Date.now();
  // Expired buckets go on a timer that never keeps the process alive.
  private readonly timer = setInterval(() => this.sweep(Date.now()), SWEEP_INTERVAL_MS).unref();

  readonly now = { hit: this.hitNow.bind(this), peek: this.peekNow.bind(this) };

  async hit(bucket: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    return this.hitNow(bucket, limit, windowMs);
  }

  async peek(bucket: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    return this.peekNow(bucket, limit, windowMs);
  }

  private hitNow(bucket: string, limit: number, windowMs: number): RateLimitResult {
    checkBucket(bucket);
    const now = Date.now();
    if (this.buckets.size > SWEEP_ON_HIT_ABOVE && now - this.lastSweep > 1000) this.sweep(now);
    let state = this.buckets.get(bucket);
    if (!state || state.resetAt <= now) {
      state = { count: 0, resetAt: now + windowMs };
      this.buckets.set(bucket, state);
    }
    state.count += 1;
    return resultOf(state.count, limit, state.resetAt - now, true);
  }

  private peekNow(bucket: string, limit: number, windowMs: number): RateLimitResult {
    checkBucket(bucket);
    const now = Date.now();
    const state = this.buckets.get(bucket);
    if (!state || state.resetAt <= now) return resultOf(0, limit, windowMs, false);
    return resultOf(state.count, limit, state.resetAt - now, false);
  }

  private sweep(now: number) {
    this.lastSweep = now;
    for (const [bucket, state] of this.buckets) if (state.resetAt <= now) this.buckets.delete(bucket);
  }

  /** Idempotent: the plugin and buildApp may both close it. */
  async close() {
    clearInterval(this.timer);
    this.buckets.clear();
  }
}
