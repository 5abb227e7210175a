import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import { AppError } from '../lib/errors.js';
import { titleFor } from '../lib/problem.js';
import type { RateLimiter, RateLimitResult } from '../lib/rate-limit.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's counters, e.g. for the auth plugin to count failed authentications per address. */
    rateLimiter: RateLimiter;
  }
}

export interface RateLimitPluginOptions {
  limiter: RateLimiter;
  windowMs: number;
  /** Requests per window for one API key (`key:<keyId>`). */
  perKey: number;
  /** Requests per window from one address (`ip:<request.ip>`), keyed or not. */
  perIp: number;
}

/** 429 problem+json; the caller sets Retry-After. Exported for the auth plugin's failure limit. */
export function rateLimited(retryAfterSeconds: number, detail?: string): AppError {
  return new AppError({
    code: 'rate_limited',
    status: 429,
    title: titleFor(429),
    detail:
      detail ??
      `Too many requests in this time window; retry after ${retryAfterSeconds} s / 请求过于频繁，请 ${retryAfterSeconds} 秒后重试`,
  });
}

/** The draft IETF RateLimit header fields (RateLimit-Limit/-Remaining/-Reset, reset in seconds). */
export function setRateLimitHeaders(reply: FastifyReply, result: RateLimitResult) {
  reply.header('ratelimit-limit', String(result.limit));
  reply.header('ratelimit-remaining', String(result.remaining));
  reply.header('ratelimit-reset', String(result.resetSeconds));
}

const HEALTH = /^\/health(?:[/?]|$)/;

/**
 * Fixed-window limits per address and per API key. Register it after the auth plugin: its onRequest
 * hook reads `request.principal`. Every request but /health/* counts against `ip:<address>`, an
 * authenticated one also against `key:<keyId>`; over either limit the answer is 429 with Retry-After.
 * The RateLimit-* headers describe the key's bucket when there is one (the address's otherwise), and
 * on a 429 the bucket that refused.
 */
export const rateLimitPlugin = fp<RateLimitPluginOptions>(
  async function rateLimit(app, { limiter, windowMs, perKey, perIp }) {
    app.decorate('rateLimiter', limiter);

    /** Sets the headers; the 429 to answer with when either bucket refuses. */
    function judge(reply: FastifyReply, byIp: RateLimitResult, byKey: RateLimitResult | null): AppError | undefined {
      const refused = [byKey, byIp]
        .filter((r): r is RateLimitResult => r !== null && !r.allowed)
        .sort((a, b) => b.resetSeconds - a.resetSeconds)[0];
      setRateLimitHeaders(reply, refused ?? byKey ?? byIp);
      if (!refused) return undefined;
      reply.header('retry-after', String(refused.resetSeconds));
      return rateLimited(refused.resetSeconds);
    }

    app.addHook('onRequest', (request, reply, done) => {
      if (HEALTH.test(request.url)) return done();
      const principal = request.principal ?? null;
      const ipBucket = `ip:${request.ip}`;
      const keyBucket = principal ? `key:${principal.keyId}` : null;
      // The memory limiter answers at once; Redis takes a round trip for both buckets together.
      if (limiter.now) return done(judge(reply, limiter.now.hit(ipBucket, perIp, windowMs), keyBucket ? limiter.now.hit(keyBucket, perKey, windowMs) : null));
      Promise.all([limiter.hit(ipBucket, perIp, windowMs), keyBucket ? limiter.hit(keyBucket, perKey, windowMs) : null]).then(
        ([byIp, byKey]) => done(judge(reply, byIp, byKey)),
        done,
      );
    });

    app.addHook('onClose', async () => {
      await limiter.close();
    });
  },
  { name: 'rate-limit', dependencies: ['errors'] },
);
