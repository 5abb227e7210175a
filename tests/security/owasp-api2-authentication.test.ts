import { sql } from 'drizzle-orm';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { bearer } from '../support/keys.js';
import { apiKeys } from '../../src/modules/api-keys/api-keys.table.js';
import { generateKey, hashKey, lastFourOf } from '../../src/modules/api-keys/api-keys.token.js';
import { expectProblem, logSink, type Json } from './owasp-fixtures.js';

/**
 * API2:2023 Broken Authentication. Bearer API keys (kpo_live_…, CRC-32 checksum, SHA-256 at rest),
 * refused with 401 problem+json and WWW-Authenticate in every way a key can be wrong, never accepted
 * from a URL, never written to a log, and a per-address limit on failed attempts.
 *
 * Each failing request comes from its own address (remoteAddress), so the failed-authentication
 * limit of one test does not spill into the next; the limit itself is tested with a fresh app below.
 */
const sink = logSink('info');
const ctx = useTestApp({}, { logger: sink.logger });

let addressCounter = 0;
const freshAddress = () => {
  addressCounter += 1;
  return `10.2.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
};

/** Anonymous request (no default admin key) from an address of its own. */
function attempt(options: InjectOptions): Promise<LightMyRequestResponse> {
  return ctx.anonymous({ remoteAddress: freshAddress(), ...options });
}

function expectUnauthorized(response: LightMyRequestResponse, code: string) {
  const problem = expectProblem(response, 401, code);
  const challenge = String(response.headers['www-authenticate'] ?? '');
  expect(challenge).toMatch(/^Bearer realm="kpo"/);
  if (code !== 'authentication_required') expect(challenge).toContain('error="invalid_token"');
  return problem;
}

/** The same key with one character of its random part changed: the checksum no longer matches. */
function flipOne(key: string): string {
  const at = 15;
  const c = key[at]!;
  return key.slice(0, at) + (c === 'a' ? 'b' : 'a') + key.slice(at + 1);
}

async function insertExpiredKey(): Promise<{ key: string; id: string }> {
  const key = generateKey();
  const day = 86_400_000;
  const [row] = await ctx.testDb.database.db
    .insert(apiKeys)
    .values({
      name: 'expired',
      role: 'admin',
      secretHash: hashKey(key),
      lastFour: lastFourOf(key),
      createdBy: 'test',
      createdAt: new Date(Date.now() - 2 * day).toISOString(),
      expiresAt: new Date(Date.now() - day).toISOString(),
    })
    .returning({ id: apiKeys.id });
  return { key, id: row!.id };
}

async function createKeyThroughApi(body: Json = { name: '住建局 进度报送系统', role: 'viewer' }): Promise<Json> {
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return json(response) as Json;
}

describe('API2:2023 Broken Authentication', () => {
  describe('every wrong credential is a 401 problem with a WWW-Authenticate challenge', () => {
    it('refuses a request without an Authorization header (authentication_required)', async () => {
      expectUnauthorized(await attempt({ method: 'GET', url: '/v1/projects' }), 'authentication_required');
    });

    it('refuses a scheme other than Bearer (invalid_authorization)', async () => {
      expectUnauthorized(await attempt({ method: 'GET', url: '/v1/projects', headers: { authorization: `Basic ${Buffer.from(`admin:${ctx.adminKey}`).toString('base64')}` } }), 'invalid_authorization');
      expectUnauthorized(await attempt({ method: 'GET', url: '/v1/projects', headers: { authorization: ctx.adminKey } }), 'invalid_authorization');
      expectUnauthorized(await attempt({ method: 'GET', url: '/v1/projects', headers: { authorization: 'Bearer' } }), 'invalid_authorization');
    });

    it('refuses a malformed key (invalid_api_key)', async () => {
      for (const bad of ['nope', 'kpo_live_short', `kpo_test_${ctx.adminKey.slice(9)}`, `${ctx.adminKey}x`, ctx.adminKey.slice(0, -1), `${ctx.adminKey.slice(0, -1)}!`]) {
        expectUnauthorized(await attempt({ method: 'GET', url: '/v1/projects', headers: bearer(bad) }), 'invalid_api_key');
      }
    });

    it('refuses a valid key with one character changed, on its checksum (invalid_api_key)', async () => {
      const problem = expectUnauthorized(await attempt({ method: 'GET', url: '/v1/projects', headers: bearer(flipOne(ctx.adminKey)) }), 'invalid_api_key');
      expect(String(problem.detail)).toMatch(/checksum/i);
    });

    it('refuses a well-formed key with a valid checksum that was never issued (invalid_api_key)', async () => {
      const problem = expectUnauthorized(await attempt({ method: 'GET', url: '/v1/projects', headers: bearer(generateKey()) }), 'invalid_api_key');
      expect(String(problem.detail)).not.toMatch(/checksum/i);
    });

    it('refuses a key revoked through DELETE /v1/api-keys/{id} on its very next request (api_key_revoked)', async () => {
      const made = await createKeyThroughApi();
      const key = String(made.key);
      expect((await attempt({ method: 'GET', url: '/v1/projects', headers: bearer(key) })).statusCode).toBe(200);
      const revoked = await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${String(made.id)}` });
      expect(revoked.statusCode).toBe(200);
      expect(json(revoked).revokedAt).toEqual(expect.any(String));
      expectUnauthorized(await attempt({ method: 'GET', url: '/v1/projects', headers: bearer(key) }), 'api_key_revoked');
    });

    it('refuses an expired key (api_key_expired)', async () => {
      const { key } = await insertExpiredKey();
      expectUnauthorized(await attempt({ method: 'GET', url: '/v1/projects', headers: bearer(key) }), 'api_key_expired');
    });

    it('refuses a key in the query string (?api_key=…) with api_key_in_url even when the Authorization header is valid', async () => {
      for (const param of ['api_key', 'apikey', 'key', 'access_token', 'token']) {
        const response = await attempt({ method: 'GET', url: `/v1/projects?${param}=${ctx.adminKey}`, headers: bearer(ctx.adminKey) });
        expectUnauthorized(response, 'api_key_in_url');
      }
      // A credential parameter is refused whatever it holds.
      expectUnauthorized(await attempt({ method: 'GET', url: '/v1/projects?api_key=whatever', headers: bearer(ctx.adminKey) }), 'api_key_in_url');
    });

    it('refuses a key pasted into an ordinary query value or the path, percent-encoded or not (api_key_in_url)', async () => {
      for (const url of [
        `/v1/projects?q=${ctx.adminKey}`,
        `/v1/projects?q=${encodeURIComponent(`name ${ctx.adminKey}`)}`,
        `/v1/projects?q=${ctx.adminKey.split('').map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`,
        `/v1/projects/${ctx.adminKey}`,
      ]) {
        expectUnauthorized(await attempt({ method: 'GET', url, headers: bearer(ctx.adminKey) }), 'api_key_in_url');
      }
    });

    it('answers an unknown path with 404 route_not_found without asking for a key', async () => {
      const response = await attempt({ method: 'GET', url: '/v1/no-such-thing' });
      expectProblem(response, 404, 'route_not_found');
    });
  });

  describe('keys are shown once and stored only as a hash', () => {
    it('shows a new key in the creation response only (no-store), never in GET or the list, and never any hash', async () => {
      const made = await createKeyThroughApi({ name: '审计系统', role: 'viewer', readOnly: true });
      const key = String(made.key);
      expect(key).toMatch(/^kpo_live_[0-9A-Za-z]{36}$/);
      expect(made.lastFour).toBe(key.slice(-4));
      expect(made).not.toHaveProperty('secretHash');
      expect(JSON.stringify(made)).not.toContain(hashKey(key));

      const one = await ctx.app.inject({ method: 'GET', url: `/v1/api-keys/${String(made.id)}` });
      const list = await ctx.app.inject({ method: 'GET', url: '/v1/api-keys?limit=200&includeRevoked=true' });
      for (const response of [one, list]) {
        expect(response.statusCode).toBe(200);
        expect(response.body).not.toContain(key);
        expect(response.body).not.toContain(key.slice(9));
        expect(response.body).not.toContain(hashKey(key));
        expect(response.body).not.toMatch(/secretHash|secret_hash|"key"/);
      }
      expect(json(list).items.map((k: Json) => k.id)).toContain(made.id);
    });

    it('keeps no plaintext key in the api_keys row: only its SHA-256 and last four characters', async () => {
      const made = await createKeyThroughApi();
      const key = String(made.key);
      const result = (await ctx.testDb.database.db.execute(sql`select row_to_json(k)::text as row, secret_hash from api_keys k where id = ${String(made.id)}`)) as unknown as {
        rows: { row: string; secret_hash: string }[];
      };
      const row = result.rows[0]!;
      expect(row.secret_hash).toBe(hashKey(key));
      expect(row.row).not.toContain(key);
      expect(row.row).not.toContain(key.slice(9, 30)); // not even the random part
    });
  });

  describe('logs', () => {
    it('logs failed authentications with time, request id and (for a known key) its id, and never a key or its hash', async () => {
      const made = await createKeyThroughApi();
      const key = String(made.key);
      await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${String(made.id)}` });
      const expired = await insertExpiredKey();
      const unknown = generateKey();
      const secrets = [key, expired.key, unknown, flipOne(ctx.adminKey), ctx.adminKey];

      const revoked = await attempt({ method: 'GET', url: '/v1/projects', headers: { ...bearer(key), 'x-request-id': 'owasp-revoked-1' } });
      expect(revoked.statusCode).toBe(401);
      await attempt({ method: 'GET', url: '/v1/projects', headers: { ...bearer(expired.key), 'x-request-id': 'owasp-expired-1' } });
      await attempt({ method: 'GET', url: '/v1/projects', headers: { ...bearer(unknown), 'x-request-id': 'owasp-unknown-1' } });
      await attempt({ method: 'GET', url: '/v1/projects', headers: { ...bearer(flipOne(ctx.adminKey)), 'x-request-id': 'owasp-checksum-1' } });
      await attempt({ method: 'GET', url: `/v1/projects?api_key=${ctx.adminKey}&q=${ctx.adminKey}`, headers: { ...bearer(ctx.adminKey), 'x-request-id': 'owasp-inurl-1' } });
      await attempt({ method: 'GET', url: `/v1/projects/${ctx.adminKey}`, headers: { ...bearer(ctx.adminKey), 'x-request-id': 'owasp-inpath-1' } });
      await ctx.app.inject({ method: 'GET', url: '/v1/projects', headers: { 'x-request-id': 'owasp-ok-1' } });

      const failed = (reqId: string) => sink.lines.find((l) => l.reqId === reqId && l.event === 'authentication_failed');
      const revokedLine = failed('owasp-revoked-1');
      expect(revokedLine).toMatchObject({ reason: 'api_key_revoked', keyId: made.id, level: 40 });
      expect(typeof revokedLine!.time).toBe('number');
      expect(failed('owasp-expired-1')).toMatchObject({ reason: 'api_key_expired', keyId: expired.id });
      expect(failed('owasp-unknown-1')).toMatchObject({ reason: 'invalid_api_key', keyId: null });
      expect(failed('owasp-checksum-1')).toMatchObject({ reason: 'invalid_api_key' });
      expect(failed('owasp-inurl-1')).toMatchObject({ reason: 'api_key_in_url' });
      expect(failed('owasp-inpath-1')).toMatchObject({ reason: 'api_key_in_url' });
      // The request line of a refused URL keeps its path but not the query or the key.
      const requestLine = sink.lines.find((l) => l.reqId === 'owasp-inurl-1' && l.msg === 'request completed');
      expect(requestLine).toMatchObject({ status: 401 });

      const everything = sink.raw.join('\n');
      for (const secret of secrets) {
        expect(everything).not.toContain(secret);
        expect(everything).not.toContain(secret.slice(9, 39)); // the random part alone
        expect(everything).not.toContain(hashKey(secret));
      }
    });
  });
});

describe('API2:2023 Broken Authentication: failed-authentication limit per address', () => {
  // A fresh app (fresh counters) with a short window: AUTH_FAILURES_PER_IP defaults to 10.
  const limited = useTestApp({ RATE_LIMIT_WINDOW_MS: '3000' });

  it('answers the 11th failed attempt from one address within the window with 429 and Retry-After, then refuses even a valid key from that address until the window ends, while other addresses are unaffected', async () => {
    const address = '10.9.9.9';
    const other = '10.9.9.10';
    const started = Date.now();
    for (let i = 1; i <= 10; i += 1) {
      const response = await limited.anonymous({ method: 'GET', url: '/v1/projects', remoteAddress: address, headers: bearer(`bad-${i}`) });
      expect(response.statusCode, `attempt ${i}`).toBe(401);
    }
    const eleventh = await limited.anonymous({ method: 'GET', url: '/v1/projects', remoteAddress: address, headers: bearer('bad-11') });
    expect(Date.now() - started, 'the attempts must fall in one 3 s window').toBeLessThan(3000);
    expectProblem(eleventh, 429, 'too_many_failed_authentications');
    const retryAfter = Number(eleventh.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);

    // A valid key from the same address is refused too: the address is blocked, not the key.
    const valid = await limited.anonymous({ method: 'GET', url: '/v1/projects', remoteAddress: address, headers: bearer(limited.adminKey) });
    expectProblem(valid, 429, 'too_many_failed_authentications');
    // Another address with the same key is served.
    expect((await limited.anonymous({ method: 'GET', url: '/v1/projects', remoteAddress: other, headers: bearer(limited.adminKey) })).statusCode).toBe(200);
    // Public routes stay reachable from the blocked address.
    expect((await limited.anonymous({ method: 'GET', url: '/health/live', remoteAddress: address })).statusCode).toBe(200);

    // Once the window ends, the valid key works again from that address.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 3000 - Date.now()) + 300));
    const after = await limited.anonymous({ method: 'GET', url: '/v1/projects', remoteAddress: address, headers: bearer(limited.adminKey) });
    expect(after.statusCode, after.body).toBe(200);
  });
});
