import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';
import { logSink } from '../security/owasp-fixtures.js';
import { KEY_PREFIX, loggableUrl } from '../../src/lib/credentials.js';

const sink = logSink('info');
const ctx = useTestApp({}, { logger: sink.logger });

const encodeEach = (text: string) => text.split('').map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');

/** Every way of putting a key (or its secret alone) into a request that a careless or hostile caller might use. */
function alteredKeyRequests(key: string) {
  const secret = key.slice(KEY_PREFIX.length);
  const urls = [
    `/v1/projects?x=${secret}`,
    `/v1/projects?q=kpo%255Flive%255F${secret}`,
    `/v1/projects?q=kpo%25255Flive%25255F${secret}`,
    `/v1/projects?a=kpo_live_&b=${secret}`,
    `/v1/projects?a=kpo_&b=live_${secret}`,
    `/v1/projects?q=${encodeEach(secret)}`,
    `/v1/projects?q=${encodeEach(encodeEach(secret))}`,
    `/v1/projects?${secret}=1`,
    `/v1/projects?cursor=${secret}`,
    `/v1/projects?limit=5&q=name%20${secret}%20more`,
    `/v1/projects/${secret}`,
    `/v1/projects/${encodeEach(secret)}/plans`,
    `/v1/${secret}`,
    `/v1/projects?q=${key}`,
    `/v1/projects?api_key=${secret}`,
  ];
  return [
    ...urls.map((url) => ({ method: 'GET' as const, url, headers: {} as Record<string, string> })),
    { method: 'GET' as const, url: '/v1/projects', headers: { 'x-request-id': secret } },
    { method: 'GET' as const, url: '/v1/projects', headers: { 'x-actor': `张三 ${secret}` } },
    { method: 'POST' as const, url: '/v1/departments', headers: { 'idempotency-key': secret, 'x-actor': key }, payload: { code: 'S1', name: 'x' } },
  ];
}

describe('Nothing shaped like a key’s secret reaches the log', () => {
  it('after altered-key requests in the URL, the headers and the query, no log line holds the secret or any 30 characters of it', async () => {
    const key = await ctx.key({ role: 'viewer', name: 'leaky caller' });
    const secret = key.slice(KEY_PREFIX.length);
    const before = sink.raw.length;
    for (const request of alteredKeyRequests(key)) {
      const response = await ctx.app.inject(request);
      expect(response.statusCode, request.url).toBeLessThan(500);
    }
    await new Promise((r) => setTimeout(r, 50));
    const lines = sink.raw.slice(before);
    // One request line per request at least: the log did see them.
    expect(lines.filter((l) => l.includes('"request completed"')).length).toBeGreaterThanOrEqual(alteredKeyRequests(key).length);
    let decoded = lines.join('\n');
    for (let i = 0; i < 4; i++) decoded = decoded.replace(/%([0-7][0-9A-Fa-f])/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    for (let start = 0; start + 30 <= secret.length; start++) {
      expect(decoded, `secret characters ${start}…${start + 30} in the log`).not.toContain(secret.slice(start, start + 30));
    }
    expect(decoded).not.toMatch(/[0-9A-Za-z]{30,}/);
  });

  it('keeps the rest of the URL readable: only the parameter or segment holding the secret is cut', () => {
    const secret = 'A'.repeat(36);
    expect(loggableUrl(`/v1/projects?limit=5&x=${secret}&q=abc`)).toBe('/v1/projects?limit=5&x=[REDACTED]&q=abc');
    expect(loggableUrl(`/v1/projects/${secret}/plans?limit=5`)).toBe('/v1/projects/[REDACTED]/plans?limit=5');
    expect(loggableUrl('/v1/projects/01953c4e-7b2a-7c3d-8e9f-0a1b2c3d4e5f?q=%E4%BD%8F%E5%BB%BA')).toBe('/v1/projects/01953c4e-7b2a-7c3d-8e9f-0a1b2c3d4e5f?q=%E4%BD%8F%E5%BB%BA');
  });
});
