import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';
import { bearer } from '../support/keys.js';
import { checkKeyShape, generateKey, hashKey, KEY_PATTERN } from '../../src/modules/api-keys/api-keys.token.js';

const ctx = useTestApp();

async function department(code: string) {
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code, name: `${code}局` } });
  expect(response.statusCode).toBe(201);
  return json(response).id as string;
}

async function createKey(payload: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/v1/api-keys', payload });
}

describe('API key format', () => {
  it('has the kpo_live_ prefix, at least 128 random bits and a checksum that catches any one changed character', () => {
    const keys = new Set(Array.from({ length: 200 }, generateKey));
    expect(keys.size).toBe(200);
    for (const key of keys) {
      expect(key).toMatch(KEY_PATTERN);
      expect(checkKeyShape(key)).toBe('ok');
      // 30 base62 characters of randomness: 30 × log2(62) ≈ 178.6 bits.
      expect(30 * Math.log2(62)).toBeGreaterThan(128);
    }
    const key = [...keys][0]!;
    for (let i = 'kpo_live_'.length; i < key.length; i += 1) {
      const other = key[i] === 'a' ? 'b' : 'a';
      expect(checkKeyShape(key.slice(0, i) + other + key.slice(i + 1))).toBe('bad_checksum');
    }
    expect(checkKeyShape('kpo_live_short')).toBe('malformed');
    expect(checkKeyShape(key.replace('kpo_live_', 'kpo_test_'))).toBe('malformed');
  });
});

describe('/v1/api-keys', () => {
  it('creates a key that works at once, shows it only in the creation response and stores only its hash', async () => {
    const created = await createKey({ name: '重点办 业务系统', role: 'office' });
    expect(created.statusCode).toBe(201);
    const body = json(created);
    expect(body.key).toMatch(KEY_PATTERN);
    expect(body).toMatchObject({ name: '重点办 业务系统', role: 'office', readOnly: false, lastFour: body.key.slice(-4), revokedAt: null, lastUsedAt: null });
    expect(created.headers.location).toBe(`/v1/api-keys/${body.id}`);
    expect(created.headers['cache-control']).toBe('no-store');
    const days = (Date.parse(body.expiresAt) - Date.parse(body.createdAt)) / 86_400_000;
    expect(Math.round(days)).toBe(365);

    const read = await ctx.app.inject({ method: 'GET', url: `/v1/api-keys/${body.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain(body.key);
    expect(json(read)).not.toHaveProperty('key');
    expect(json(read)).not.toHaveProperty('secretHash');
    const list = await ctx.app.inject({ method: 'GET', url: '/v1/api-keys' });
    expect(list.body).not.toContain(body.key);
    expect(list.body).not.toContain(hashKey(body.key));

    const rows = await ctx.testDb.database.db.execute(sql`select * from api_keys where id = ${body.id}`);
    const row = (rows as unknown as { rows: Record<string, unknown>[] }).rows[0]!;
    expect(JSON.stringify(row)).not.toContain(body.key);
    expect(row.secret_hash).toBe(hashKey(body.key));

    const used = await ctx.app.inject({ method: 'GET', url: '/v1/projects', headers: bearer(body.key) });
    expect(used.statusCode).toBe(200);
    const after = json(await ctx.app.inject({ method: 'GET', url: `/v1/api-keys/${body.id}` }));
    expect(after.lastUsedAt).not.toBeNull();
  });

  it('binds department keys to a department and leader keys to a leader, and nothing else', async () => {
    const departmentId = await department('ZJJ');
    expect((await createKey({ name: 'd', role: 'department' })).statusCode).toBe(422);
    expect(json(await createKey({ name: 'd', role: 'department' })).code).toBe('key_binding_invalid');
    expect((await createKey({ name: 'o', role: 'office', departmentId })).statusCode).toBe(422);
    expect((await createKey({ name: 'l', role: 'leader' })).statusCode).toBe(422);
    const unknown = await createKey({ name: 'd', role: 'department', departmentId: '01860c6e-0000-7000-8000-000000000000' });
    expect(unknown.statusCode).toBe(422);
    expect(json(unknown).code).toBe('department_unknown');
    const ok = await createKey({ name: '住建局', role: 'department', departmentId });
    expect(ok.statusCode).toBe(201);
    expect(json(ok).departmentId).toBe(departmentId);
  });

  it('refuses an expiry over 365 days, unknown fields and server-set fields', async () => {
    expect((await createKey({ name: 'x', role: 'viewer', expiresInDays: 366 })).statusCode).toBe(400);
    expect((await createKey({ name: 'x', role: 'viewer', expiresInDays: 0 })).statusCode).toBe(400);
    expect((await createKey({ name: 'x', role: 'viewer', secretHash: 'a' })).statusCode).toBe(400);
    expect((await createKey({ name: 'x', role: 'root' })).statusCode).toBe(400);
    const short = json(await createKey({ name: 'x', role: 'viewer', expiresInDays: 7 }));
    expect(Math.round((Date.parse(short.expiresAt) - Date.parse(short.createdAt)) / 86_400_000)).toBe(7);
  });

  it('revokes a key for its very next request, keeps it listed when asked, and revoking twice changes nothing', async () => {
    const created = json(await createKey({ name: 'to revoke', role: 'viewer' }));
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/projects', headers: bearer(created.key) })).statusCode).toBe(200);
    const revoked = await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${created.id}` });
    expect(revoked.statusCode).toBe(200);
    expect(json(revoked).revokedAt).not.toBeNull();
    const refused = await ctx.app.inject({ method: 'GET', url: '/v1/projects', headers: bearer(created.key) });
    expect(refused.statusCode).toBe(401);
    expect(json(refused).code).toBe('api_key_revoked');
    const again = await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${created.id}` });
    expect(json(again).revokedAt).toBe(json(revoked).revokedAt);
    const active = json(await ctx.app.inject({ method: 'GET', url: '/v1/api-keys' })).items.map((k: { id: string }) => k.id);
    expect(active).not.toContain(created.id);
    const all = json(await ctx.app.inject({ method: 'GET', url: '/v1/api-keys?includeRevoked=true' })).items.map((k: { id: string }) => k.id);
    expect(all).toContain(created.id);
  });

  it('audits creation and revocation under the acting key, without the key or its hash', async () => {
    const created = json(await createKey({ name: 'audited', role: 'viewer' }));
    await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${created.id}`, headers: { 'x-actor': '王科长' } });
    const events = json(await ctx.app.inject({ method: 'GET', url: `/v1/audit-events?resourceType=api_key&resourceId=${created.id}` })).items;
    expect(events.map((e: { action: string }) => e.action).sort()).toEqual(['create', 'update']);
    const admin = json(await ctx.app.inject({ method: 'GET', url: '/v1/api-keys' })).items.find((k: { name: string }) => k.name === 'test admin');
    for (const event of events) {
      expect(event.actor).toBe(admin.id);
      expect(event.actorRole).toBe('admin');
      expect(JSON.stringify(event)).not.toContain(created.key);
      expect(JSON.stringify(event)).not.toContain(hashKey(created.key));
    }
    expect(events.find((e: { action: string }) => e.action === 'update').onBehalfOf).toBe('王科长');
  });

  it('is for admins only, and a read-only admin key may read keys but not make them', async () => {
    for (const role of ['office', 'viewer'] as const) {
      const key = await ctx.key({ role });
      const response = await ctx.app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(key) });
      expect(response.statusCode).toBe(403);
      expect(json(response).code).toBe('forbidden_role');
    }
    const readOnly = await ctx.key({ role: 'admin', readOnly: true });
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(readOnly) })).statusCode).toBe(200);
    const write = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', payload: { name: 'x', role: 'viewer' }, headers: bearer(readOnly) });
    expect(write.statusCode).toBe(403);
    expect(json(write).code).toBe('read_only_key');
  });
});

describe('admin-only records in the audit trail and the change feed', () => {
  it('hides API keys and webhook subscriptions from every role but admin', async () => {
    const created = json(await createKey({ name: 'hidden from viewers', role: 'viewer' }));
    const viewer = created.key as string;
    const office = await ctx.key({ role: 'office' });
    const events = json(await ctx.app.inject({ method: 'GET', url: '/v1/audit-events?resourceType=api_key' })).items;
    expect(events).toHaveLength(1);
    for (const key of [viewer, office]) {
      const trail = json(await ctx.app.inject({ method: 'GET', url: '/v1/audit-events?resourceType=api_key', headers: bearer(key) }));
      expect(trail.items).toEqual([]);
      const one = await ctx.app.inject({ method: 'GET', url: `/v1/audit-events/${events[0].id}`, headers: bearer(key) });
      expect(one.statusCode).toBe(404);
      const feed = json(await ctx.app.inject({ method: 'GET', url: '/v1/changes', headers: bearer(key) }));
      expect(feed.items.map((c: { resourceType: string }) => c.resourceType)).not.toContain('api_key');
    }
    // The feed shows a transaction once every older one has ended, cluster-wide (other suites share
    // the server), so the admin's view is awaited.
    let adminTypes: string[] = [];
    for (let i = 0; i < 100 && !adminTypes.includes('api_key'); i += 1) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      adminTypes = json(await ctx.app.inject({ method: 'GET', url: '/v1/changes' })).items.map((c: { resourceType: string }) => c.resourceType);
    }
    expect(adminTypes).toContain('api_key');
  });
});

describe('URLs in logs', () => {
  it('lose their query and any key in the path, percent-encoded or not, and stay whole otherwise', async () => {
    const { loggableUrl } = await import('../../src/lib/credentials.js');
    const key = generateKey();
    expect(loggableUrl('/v1/projects?limit=5')).toBe('/v1/projects?limit=5');
    expect(loggableUrl(`/v1/projects?api_key=${key}`)).toBe('/v1/projects?[REDACTED]');
    expect(loggableUrl('/v1/projects?token=abc')).toBe('/v1/projects?[REDACTED]');
    for (const url of [`/v1/projects/${key}`, `/v1/projects/${encodeURIComponent(key).replace('_', '%5F')}?x=1`]) {
      const logged = loggableUrl(url);
      expect(logged).not.toContain(key.slice(9));
      expect(logged).toMatch(/^\/v1\/projects\/kpo_live_\[REDACTED\]/);
    }
  });
});

describe('the roles in the OpenAPI document', () => {
  it('end every secured operation\'s description once, GETs (which share their schema with a HEAD twin) included', async () => {
    const doc = json(await ctx.anonymous({ method: 'GET', url: '/openapi.json' }));
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { description?: string; security?: unknown[] }>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (!op.security || op.security.length === 0) continue;
        const lines = (op.description ?? '').split('\n').filter((l) => l.startsWith('Roles: '));
        expect(lines, `${method} ${path}`).toHaveLength(1);
      }
    }
  });
});
