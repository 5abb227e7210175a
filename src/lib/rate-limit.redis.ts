import { Redis, type Result } from 'ioredis';
import { checkBucket, resultOf, type RateLimiter, type RateLimitResult } from './rate-limit.core.js';

/**
 * INCR, start the window on the first hit, read what is left of it: one atomic step, so instances
 * sharing the bucket never lose a count or leave a key without expiry. A key found without a TTL
 * (written by anything else) gets the window again rather than living forever.
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

const PEEK_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
return {count, ttl}
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    kpoRateHit(key: string, windowMs: number): Result<[number, number], Context>;
    kpoRatePeek(key: string): Result<[number, number], Context>;
  }
}

const WARN_EVERY_MS = 30_000;

/**
 * Counters in Redis, shared by every instance behind the load balancer. Redis trouble must never
 * become API trouble: no offline queue (a command while disconnected fails at once), one retry, a short
 * command timeout; any failure lets the request through (fail open) and logs a warning at most once
 * per 30 s while the client reconnects in the background.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly kind = 'redis' as const;
  private readonly client: Redis;
  private lastWarning = 0;
  /** Settles when the first connection is ready or has failed; until then a request waits for it. */
  private readonly firstConnect: Promise<void>;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly logger: { warn(obj: object, msg: string): void },
  ) {
    this.client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 500,
      connectTimeout: 1000,
      // Keep trying in the background, at most every 2 s; requests meanwhile pass uncounted.
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.client.defineCommand('kpoRateHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.client.defineCommand('kpoRatePeek', { numberOfKeys: 1, lua: PEEK_SCRIPT });
    // Without a listener ioredis prints every connection error to stderr.
    this.client.on('error', (err: Error) => this.warn(err));
    // Without the offline queue a command sent before the first connection is up would fail (and
    // pass uncounted), so the first requests wait for it, briefly: a refused connection settles at
    // once, a silent host after connectTimeout at worst. Later outages never wait.
    this.firstConnect = this.client.connect().catch((err: Error) => this.warn(err));
  }

  private async connected() {
    if (this.client.status === 'ready' || this.client.status === 'reconnecting' || this.client.status === 'end') return;
    await this.firstConnect;
  }

  private warn(err: Error) {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn({ err: { message: err.message } }, 'rate limiter: Redis unavailable, requests pass uncounted');
  }

  private allow(limit: number, windowMs: number): RateLimitResult {
    return resultOf(0, limit, windowMs, true);
  }

  async hit(bucket: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    checkBucket(bucket);
    try {
      await this.connected();
      const [count, ttl] = await this.client.kpoRateHit(this.prefix + bucket, windowMs);
      return resultOf(Number(count), limit, Number(ttl), true);
    } catch (err) {
      this.warn(err as Error);
      return this.allow(limit, windowMs);
    }
  }

  async peek(bucket: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    checkBucket(bucket);
    try {
      await this.connected();
      const [count, ttl] = await this.client.kpoRatePeek(this.prefix + bucket);
      return resultOf(Number(count), limit, Number(ttl) > 0 ? Number(ttl) : windowMs, false);
    } catch (err) {
      this.warn(err as Error);
      return resultOf(0, limit, windowMs, false);
    }
  }

  /** Idempotent: the plugin and buildApp may both close it. */
  async close() {
    // disconnect, not quit: quit waits for a reply that a down server never sends.
    this.client.disconnect();
  }
}
