import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();

// Number() reads all of these; a plain decimal integer is digits only.
const LENIENT = ['0x10', '1e2', '+5', '%2050', '50%20', '0b11', '0o7', '16.0', '-0', '１６', 'Infinity', ''];

async function firstAuditEventId(): Promise<number> {
  await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'AUD', name: '审计局' } });
  const list = json(await ctx.app.inject({ method: 'GET', url: '/v1/audit-events' }));
  return list.items[0].id as number;
}

describe('Integers in paths and queries are plain decimal digits', () => {
  it('an audit event id written as anything but digits is a 400, not the event it would convert to', async () => {
    const id = await firstAuditEventId();
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/audit-events/${id}` })).statusCode).toBe(200);
    for (const written of [`0x${id.toString(16)}`, `${id}e0`, `+${id}`, `%20${id}`, `${id}.0`]) {
      const response = await ctx.app.inject({ method: 'GET', url: `/v1/audit-events/${written}` });
      expect(response.statusCode, written).toBe(400);
      expect(json(response)).toMatchObject({ code: 'validation_failed', errors: [{ location: 'params', path: '/id' }] });
    }
  });

  it('limit, year and the change feed’s limit take digits only; every lenient spelling is a 400 naming the parameter', async () => {
    for (const [url, name] of [
      ['/v1/departments?limit=', 'limit'],
      ['/v1/audit-events?limit=', 'limit'],
      ['/v1/changes?limit=', 'limit'],
      ['/v1/metrics/summary?list=city_key&year=', 'year'],
    ] as const) {
      for (const value of LENIENT) {
        const response = await ctx.app.inject({ method: 'GET', url: `${url}${value}` });
        expect(response.statusCode, `${url}${value}`).toBe(400);
        expect(json(response).errors.map((e: { path: string }) => e.path)).toContain(`/${name}`);
      }
    }
  });

  it('digits are read as the number they spell, leading zeros included, and a missing limit keeps its default', async () => {
    for (const url of ['/v1/departments?limit=16', '/v1/departments?limit=016', '/v1/departments', '/v1/changes?limit=1000', '/v1/metrics/summary?list=city_key&year=2022']) {
      expect((await ctx.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    const tooBig = await ctx.app.inject({ method: 'GET', url: '/v1/departments?limit=99999999999999999999' });
    expect(tooBig.statusCode).toBe(400);
  });
});
