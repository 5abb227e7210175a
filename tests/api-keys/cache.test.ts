import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';
import { bearer, insertKey } from '../support/keys.js';
import { ApiKeyCache } from '../../src/modules/api-keys/api-keys.cache.js';
import type { Database, ListenHandlers } from '../../src/db/types.js';
import type { Principal } from '../../src/lib/principal.js';

const ctx = useTestApp();

/** Asks until `status` comes back (PostgreSQL delivers the notification on another connection). */
async function eventually(key: string, status: number, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: `C${Date.now()}`, name: `部门${Date.now()}` }, headers: bearer(key) });
    if (response.statusCode === status || Date.now() > deadline) return response;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the API-key cache', () => {
  it('serves a known key from memory, and drops it when the database changes the key behind the API\'s back', async () => {
    const { key, id } = await insertKey(ctx.testDb.database.db, { role: 'admin' });
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/projects', headers: bearer(key) })).statusCode).toBe(200);
    expect(ctx.app.apiKeyCache.size).toBeGreaterThanOrEqual(1);

    // A role change by hand in SQL: the trigger announces it and the next requests see the new role.
    await ctx.testDb.database.db.execute(sql`update api_keys set role = 'viewer' where id = ${id}`);
    const demoted = await eventually(key, 403);
    expect(demoted.statusCode).toBe(403);
    expect(json(demoted).code).toBe('forbidden_role');

    // Revoked by hand in SQL: refused as soon as the notification lands.
    await ctx.testDb.database.db.execute(sql`update api_keys set revoked_at = now() where id = ${id}`);
    const refused = await eventually(key, 401);
    expect(refused.statusCode).toBe(401);
    expect(json(refused).code).toBe('api_key_revoked');
  });

  it('does not empty itself when a key is merely used (last_used_at is not a change that matters)', async () => {
    const { key, id } = await insertKey(ctx.testDb.database.db, { role: 'viewer' });
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/projects', headers: bearer(key) })).statusCode).toBe(200);
    const before = ctx.app.apiKeyCache.version;
    await ctx.testDb.database.db.execute(sql`update api_keys set last_used_at = now() - interval '1 hour' where id = ${id}`);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/projects', headers: bearer(key) })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(ctx.app.apiKeyCache.version).toBe(before);
  });
});

describe('ApiKeyCache', () => {
  const principal: Principal = { keyId: 'k1', name: 'n', role: 'office', departmentId: null, leaderId: null, readOnly: false };

  async function followed() {
    let handlers: ListenHandlers | undefined;
    const database = { listen: async (_c: string, h: ListenHandlers) => ((handlers = h), async () => {}) } as unknown as Database;
    const cache = new ApiKeyCache();
    await cache.follow(database);
    return { cache, handlers: handlers! };
  }

  it('is not used while notifications are not followed, and empties itself when they stop', async () => {
    const { cache, handlers } = await followed();
    const entry = { principal, expiresAtMs: Date.now() + 60_000, lastUsedAtMs: Date.now() };
    cache.set('h', entry, cache.version);
    expect(cache.get('h')).toBeUndefined(); // not following yet
    handlers.state(true);
    cache.set('h', entry, cache.version);
    expect(cache.get('h')).toBe(entry);
    handlers.state(false);
    expect(cache.get('h')).toBeUndefined();
    handlers.state(true);
    expect(cache.get('h')).toBeUndefined(); // emptied, not restored
  });

  it('drops a key on its notification, everything on "*", expired keys on read, and refuses answers older than a drop', async () => {
    const { cache, handlers } = await followed();
    handlers.state(true);
    const entry = { principal, expiresAtMs: Date.now() + 60_000, lastUsedAtMs: Date.now() };
    cache.set('h', entry, cache.version);
    handlers.message('k1');
    expect(cache.get('h')).toBeUndefined();
    cache.set('h', entry, cache.version);
    handlers.message('*');
    expect(cache.get('h')).toBeUndefined();
    cache.set('x', { ...entry, expiresAtMs: Date.now() - 1 }, cache.version);
    expect(cache.get('x')).toBeUndefined();
    // A lookup that began before a revocation arrived must not cache what it read.
    const version = cache.version;
    handlers.message('k1');
    cache.set('h', entry, version);
    expect(cache.get('h')).toBeUndefined();
  });
});
