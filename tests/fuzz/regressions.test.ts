import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';

// Bugs the contract fuzzing found; each stays fixed.
const ctx = useTestApp();

describe('Requests the contract fuzzing found answering outside the document', () => {
  it('a malformed percent-escape in a path id is a 400 problem, not Fastify’s own JSON', async () => {
    for (const url of ['/v1/departments/%zz', '/v1/projects/%E0%A4%A/status-history', '/v1/leaders/%']) {
      const response = await ctx.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(response)).toMatchObject({ status: 400, code: 'invalid_url' });
    }
  });

  it('a path segment longer than the router allows is a 400 problem, not an undeclared 414', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: `/v1/leader-assignments/${'a'.repeat(600)}` });
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ status: 400, code: 'invalid_url' });
  });

  it('a NUL character in a text field is a 422 problem, not a 500', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/leaders', payload: { name: '张某', title: 'a\u0000b' } });
    expect(response.statusCode).toBe(422);
    expect(json(response)).toMatchObject({ status: 422, code: 'invalid_character' });
    const list = await ctx.app.inject({ method: 'GET', url: '/v1/leaders' });
    expect(json(list).items).toEqual([]);
  });

  it('an import refused by the database (a NUL in a row) is a 422 problem without rows, not a 500 from the response schema', async () => {
    await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'FZA', name: '住建局' } });
    const row = { code: 'TZ-1', name: '项目', category: 'transport', estimatedInvestment: '1', department: 'FZA', year: '2022', list: 'city_key', stage: 'new_start', plannedInvestment: '1' };
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/imports/projects', payload: { rows: [{ ...row, ownerUnit: 'a\u0000b' }] } });
    expect(response.statusCode).toBe(422);
    expect(json(response)).toMatchObject({ status: 422, code: 'invalid_character' });
  });

  it('warning lights as of a date the database cannot reckon from (0001-01-01) answer a declared problem, not a 500', async () => {
    // Once the database's 422 invalid_value; since asOf must lie in or after the year (#16) it is refused before any query.
    const document = ctx.app.swagger() as { paths: Record<string, { get: { responses: Record<string, unknown> } }> };
    for (const url of ['/v1/warnings?year=2000&list=city_key&asOf=0001-01-01', '/v1/warnings/rollup?year=2000&list=city_key&asOf=0001-01-01&by=department']) {
      const response = await ctx.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(400);
      expect(json(response)).toMatchObject({ status: 400, code: 'as_of_before_year' });
      expect(Object.keys(document.paths[url.split('?')[0]!]!.get.responses)).toContain('400');
    }
  });

  it('an import with neither a body nor a content type is a 400, not a 500', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/imports/projects?dryRun=false' });
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ status: 400, code: 'empty_body' });
  });
});
