import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptedEncoding } from '../../src/modules/metrics/figures/figures.routes.js';
import { useTestApp } from '../support/app.js';
import { fixtures } from './fixtures.js';

const ctx = useTestApp();
const BY_DEPARTMENT = '/v1/metrics/breakdown?year=2022&list=city_key&asOf=2022-06-30&by=department';

describe('large figure answers compressed once', () => {
  it('reads Accept-Encoding with its q-values', () => {
    expect(acceptedEncoding(undefined)).toBeUndefined();
    expect(acceptedEncoding('identity')).toBeUndefined();
    expect(acceptedEncoding('gzip')).toBe('gzip');
    expect(acceptedEncoding('gzip, deflate, br')).toBe('br');
    expect(acceptedEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(acceptedEncoding('br;q=0, gzip;q=0')).toBeUndefined();
    expect(acceptedEncoding('*')).toBe('br');
    expect(acceptedEncoding('*;q=0, gzip')).toBe('gzip');
  });

  it('sends a large breakdown as br or gzip of exactly the JSON sent uncompressed, the same bytes on a hit', async () => {
    const f = fixtures(ctx.testDb.database.db);
    // Six departments: ≈2 KB of figures each, past the 8 KB from which answers are kept compressed.
    for (let i = 0; i < 6; i++) {
      const dept = await f.department(`部门 ${i}`);
      await f.planned({ departmentId: dept.id, estimated: '1000.0000', stage: 'new_start', planned: '100.0000' });
    }
    const plain = await ctx.app.inject({ method: 'GET', url: BY_DEPARTMENT });
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(8 * 1024);
    for (const [encoding, decode] of [
      ['gzip', gunzipSync],
      ['br', brotliDecompressSync],
    ] as const) {
      const first = await ctx.app.inject({ method: 'GET', url: BY_DEPARTMENT, headers: { 'accept-encoding': encoding } });
      const again = await ctx.app.inject({ method: 'GET', url: BY_DEPARTMENT, headers: { 'accept-encoding': encoding } });
      for (const response of [first, again]) {
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-encoding']).toBe(encoding);
        expect(String(response.headers.vary)).toMatch(/accept-encoding/i);
        expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(decode(response.rawPayload).toString('utf8')).toBe(plain.body);
      }
      expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
      expect(first.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    }
  });
});
