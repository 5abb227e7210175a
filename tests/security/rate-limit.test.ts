import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../src/lib/principal.js';
import { createRateLimiter, type RateLimiter } from '../../src/lib/rate-limit.js';
import { errorsPlugin } from '../../src/plugins/errors.js';
import { rateLimitPlugin } from '../../src/plugins/rate-limit.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Redis runs on the development and CI machines; elsewhere its tests are skipped, not failed. */
async function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
const redisUp = await redisAnswers(REDIS_URL);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent = { warn: () => {} };

const opened: RateLimiter[] = [];
async function limiter(options: Parameters<typeof createRateLimiter>[0]): Promise<RateLimiter> {
  const made = await createRateLimiter({ logger: silent, ...options });
  opened.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((l) => l.close()));
  vi.useRealTimers();
});

describe('the in-memory rate limiter', () => {
  it('counts hits in a bucket and refuses the one past the limit', async () => {
    const rl = await limiter({});
    expect(rl.kind).toBe('memory');
    const results = [];
    for (let i = 0; i < 4; i += 1) results.push(await rl.hit('ip:10.0.0.1', 3, 60_000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    for (const r of results) {
      expect(r.limit).toBe(3);
      expect(r.resetSeconds).toBeGreaterThanOrEqual(1);
      expect(r.resetSeconds).toBeLessThanOrEqual(60);
    }
    // Another bucket has its own count.
    expect((await rl.hit('ip:10.0.0.2', 3, 60_000)).remaining).toBe(2);
  });

  it('peeks without counting', async () => {
    const rl = await limiter({});
    expect(await rl.peek('key:a', 2, 60_000)).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 60 });
    await rl.hit('key:a', 2, 60_000);
    await rl.peek('key:a', 2, 60_000);
    expect(await rl.peek('key:a', 2, 60_000)).toMatchObject({ allowed: true, remaining: 1 });
    await rl.hit('key:a', 2, 60_000);
    expect(await rl.peek('key:a', 2, 60_000)).toMatchObject({ allowed: false, remaining: 0 });
  });

  it('starts a new window once the old one has ended', async () => {
    const rl = await limiter({});
    await rl.hit('key:w', 1, 200);
    expect((await rl.hit('key:w', 1, 200)).allowed).toBe(false);
    await sleep(250);
    expect(await rl.hit('key:w', 1, 200)).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 1 });
  });

  it('sweeps expired buckets so that memory does not grow without bound', async () => {
    vi.useFakeTimers();
    const rl = await limiter({});
    for (let i = 0; i < 100; i += 1) await rl.hit(`ip:10.1.0.${i}`, 10, 1000);
    await rl.hit('ip:long', 10, 3_600_000);
    const buckets = (rl as unknown as { buckets: Map<string, unknown> }).buckets;
    expect(buckets.size).toBe(101);
    vi.advanceTimersByTime(31_000);
    expect([...buckets.keys()]).toEqual(['ip:long']);
  });

  it('refuses a bucket named after an API key instead of a key id', async () => {
    const rl = await limiter({});
    await expect(rl.hit('key:kpo_live_0123456789abcdefghijABCDEFGHIJ012345', 1, 1000)).rejects.toThrow(/key ids/);
  });
});

describe.skipIf(!redisUp)('the Redis rate limiter', () => {
  const prefix = `kpo:rl:test:${randomUUID()}:`;
  const admin = new Redis(REDIS_URL, { lazyConnect: true });

  afterAll(async () => {
    await admin.connect().catch(() => {});
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  it('counts hits under its prefix, with the window as the key expiry', async () => {
    const rl = await limiter({ redisUrl: REDIS_URL, prefix });
    expect(rl.kind).toBe('redis');
    const results = [];
    for (let i = 0; i < 4; i += 1) results.push(await rl.hit('ip:10.0.0.1', 3, 60_000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3]!.resetSeconds).toBeGreaterThanOrEqual(59);
    expect(results[3]!.resetSeconds).toBeLessThanOrEqual(60);
    await admin.connect().catch(() => {});
    expect(await admin.get(`${prefix}ip:10.0.0.1`)).toBe('4');
    const ttl = await admin.pttl(`${prefix}ip:10.0.0.1`);
    expect(ttl).toBeGreaterThan(58_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('shares one bucket between two instances, as a scaled-out service needs', async () => {
    const a = await limiter({ redisUrl: REDIS_URL, prefix });
    const b = await limiter({ redisUrl: REDIS_URL, prefix });
    const results = await Promise.all([
      a.hit('key:shared', 5, 60_000),
      b.hit('key:shared', 5, 60_000),
      a.hit('key:shared', 5, 60_000),
      b.hit('key:shared', 5, 60_000),
      a.hit('key:shared', 5, 60_000),
      b.hit('key:shared', 5, 60_000),
    ]);
    // Six hits, no count lost: exactly one is refused, and remaining took every value once.
    expect(results.filter((r) => !r.allowed)).toHaveLength(1);
    expect(results.map((r) => r.remaining).sort()).toEqual([0, 0, 1, 2, 3, 4]);
    expect(await b.peek('key:shared', 5, 60_000)).toMatchObject({ allowed: false, remaining: 0 });
  });

  it('peeks without counting', async () => {
    const rl = await limiter({ redisUrl: REDIS_URL, prefix });
    expect(await rl.peek('key:p', 2, 60_000)).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 60 });
    await rl.hit('key:p', 2, 60_000);
    await rl.peek('key:p', 2, 60_000);
    expect(await rl.peek('key:p', 2, 60_000)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('starts a new window once the old one has ended', async () => {
    const rl = await limiter({ redisUrl: REDIS_URL, prefix });
    await rl.hit('key:w', 1, 300);
    expect((await rl.hit('key:w', 1, 300)).allowed).toBe(false);
    await sleep(400);
    expect(await rl.hit('key:w', 1, 300)).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 1 });
  });
});

describe('the Redis rate limiter when Redis is down', () => {
  it('lets requests through at once and warns once, not per request', async () => {
    const warnings: string[] = [];
    const rl = await limiter({ redisUrl: 'redis://127.0.0.1:1', logger: { warn: (_obj, msg) => warnings.push(msg) } });
    const started = Date.now();
    for (let i = 0; i < 5; i += 1) {
      expect(await rl.hit('ip:10.0.0.9', 1, 60_000)).toMatchObject({ allowed: true, limit: 1 });
    }
    expect((await rl.peek('ip:10.0.0.9', 1, 60_000)).allowed).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    await sleep(300); // a reconnect attempt fails meanwhile: still one warning
    await rl.hit('ip:10.0.0.9', 1, 60_000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Redis unavailable');
  });
});

const principalOf = (keyId: string): Principal => ({
  keyId,
  name: `test key ${keyId}`,
  role: 'office',
  departmentId: null,
  leaderId: null,
  readOnly: false,
});

/** The errors plugin, a stand-in for the auth plugin (X-Test-Key → principal) and the rate limits. */
async function tinyApp(rl: RateLimiter, limits: { perKey: number; perIp: number }): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(errorsPlugin);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const key = request.headers['x-test-key'];
    request.principal = typeof key === 'string' ? principalOf(key) : null;
  });
  await app.register(rateLimitPlugin, { limiter: rl, windowMs: 60_000, ...limits });
  app.get('/v1/things', async () => ({ ok: true }));
  app.get('/health/live', async () => ({ status: 'ok' }));
  await app.ready();
  return app;
}

describe('the rate-limit plugin', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });
  async function build(limits: { perKey: number; perIp: number }, given?: RateLimiter) {
    const rl = given ?? (await limiter({}));
    const app = await tinyApp(rl, limits);
    apps.push(app);
    return app;
  }
  const get = (app: FastifyInstance, key?: string, ip = '192.0.2.1') =>
    app.inject({ method: 'GET', url: '/v1/things', remoteAddress: ip, headers: key ? { 'x-test-key': key } : {} });

  it('sets RateLimit headers of the key bucket on an authenticated request', async () => {
    const app = await build({ perKey: 3, perIp: 100 });
    const first = await get(app, 'k1');
    expect(first.statusCode).toBe(200);
    expect(first.headers['ratelimit-limit']).toBe('3');
    expect(first.headers['ratelimit-remaining']).toBe('2');
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(59);
    expect((await get(app, 'k1')).headers['ratelimit-remaining']).toBe('1');
  });

  it('sets RateLimit headers of the address bucket on an anonymous request', async () => {
    const app = await build({ perKey: 3, perIp: 100 });
    const response = await get(app);
    expect(response.headers['ratelimit-limit']).toBe('100');
    expect(response.headers['ratelimit-remaining']).toBe('99');
  });

  it('answers 429 problem+json with Retry-After once a key is over its limit', async () => {
    const app = await build({ perKey: 2, perIp: 100 });
    expect((await get(app, 'k1')).statusCode).toBe(200);
    expect((await get(app, 'k1')).statusCode).toBe(200);
    const refused = await get(app, 'k1');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.headers['ratelimit-reset']).toBe(String(retryAfter));
    expect(refused.json()).toMatchObject({
      type: 'urn:kpo:problem:rate_limited',
      code: 'rate_limited',
      status: 429,
      title: 'Too many requests / 请求过多',
      instance: '/v1/things',
    });
    expect(refused.json().detail).toMatch(/retry after \d+ s .*秒后重试/);
  });

  it('counts each key and each address separately', async () => {
    const app = await build({ perKey: 2, perIp: 3 });
    await get(app, 'k1');
    await get(app, 'k1');
    expect((await get(app, 'k1')).statusCode).toBe(429); // k1 over its limit (the address is at 3)
    // Another address with the same key: still the key's limit.
    expect((await get(app, 'k1', '192.0.2.2')).statusCode).toBe(429);
    // Another key from a fresh address passes.
    const other = await get(app, 'k2', '192.0.2.3');
    expect(other.statusCode).toBe(200);
    expect(other.headers['ratelimit-remaining']).toBe('1');
    // The first address is over its own limit now, whatever key it brings.
    const byAddress = await get(app, 'k3');
    expect(byAddress.statusCode).toBe(429);
    expect(byAddress.headers['ratelimit-limit']).toBe('3');
    expect(byAddress.headers['ratelimit-remaining']).toBe('0');
    expect(byAddress.headers['retry-after']).toBeDefined();
  });

  it('does not count health checks', async () => {
    const app = await build({ perKey: 1, perIp: 1 });
    for (let i = 0; i < 3; i += 1) {
      const health = await app.inject({ method: 'GET', url: '/health/live' });
      expect(health.statusCode).toBe(200);
      expect(health.headers['ratelimit-limit']).toBeUndefined();
    }
    expect((await get(app)).statusCode).toBe(200);
  });

  it('counts unknown routes too, which answer 404 with the headers', async () => {
    const app = await build({ perKey: 5, perIp: 5 });
    const response = await app.inject({ method: 'GET', url: '/v1/nothing' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['ratelimit-remaining']).toBe('4');
  });

  it('exposes the limiter to other plugins and closes it with the app', async () => {
    const rl = await limiter({});
    const close = vi.spyOn(rl, 'close');
    const app = await tinyApp(rl, { perKey: 5, perIp: 5 });
    expect(app.rateLimiter).toBe(rl);
    await app.close();
    expect(close).toHaveBeenCalledOnce();
  });

  it.skipIf(!redisUp)('limits across two app instances sharing Redis', async () => {
    const prefix = `kpo:rl:test:${randomUUID()}:`;
    const one = await build({ perKey: 3, perIp: 100 }, await limiter({ redisUrl: REDIS_URL, prefix }));
    const two = await build({ perKey: 3, perIp: 100 }, await limiter({ redisUrl: REDIS_URL, prefix }));
    try {
      const statuses = [];
      for (const app of [one, two, one, two]) statuses.push((await get(app, 'k-shared')).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      const admin = new Redis(REDIS_URL);
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length > 0) await admin.del(...keys);
      admin.disconnect();
    }
  });
});
