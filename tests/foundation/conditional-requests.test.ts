import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();

async function department() {
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'FGJ', name: '发改局' } });
  expect(created.statusCode, created.body).toBe(201);
  return json(created).id as string;
}

const patch = (id: string, ifMatch: string | undefined, payload: object = { name: '发展和改革局' }) =>
  ctx.app.inject({ method: 'PATCH', url: `/v1/departments/${id}`, payload, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });

const auditCount = async () =>
  ((await ctx.testDb.database.db.execute(sql`select count(*)::int as n from audit_events where resource_type = 'department'`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;

describe('conditional requests (RFC 9110)', () => {
  it('applies If-Match: * to whatever version is current', async () => {
    const id = await department();
    await patch(id, '"v1"', { shortName: '发改' });
    const star = await patch(id, '*');
    expect(star.statusCode, star.body).toBe(200);
    expect(json(star).version).toBe(3);
  });

  it('applies a list of ETags when one of them is current, and refuses one where none is with the current ETag', async () => {
    const id = await department();
    const listed = await patch(id, '"v7", "v1", W/"v9"');
    expect(listed.statusCode, listed.body).toBe(200);
    const stale = await patch(id, '"v1", "v7"', { name: '又一个' });
    expect(stale.statusCode).toBe(412);
    expect(json(stale).currentEtag).toBe('"v2"');
  });

  it('never matches a weak tag or garbage, and names the current ETag in the 412', async () => {
    const id = await department();
    for (const header of ['W/"v1"', 'v1', '"v1', 'garbage', '"x1"']) {
      const refused = await patch(id, header);
      expect(refused.statusCode, header).toBe(412);
      expect(json(refused).currentEtag, header).toBe('"v1"');
    }
    expect((await patch(id, undefined)).statusCode).toBe(428);
  });

  it('answers If-None-Match with the current ETag by 304 without a body, and with another by the record', async () => {
    const id = await department();
    const fresh = await ctx.app.inject({ method: 'GET', url: `/v1/departments/${id}`, headers: { 'if-none-match': '"v1"' } });
    expect(fresh.statusCode).toBe(304);
    expect(fresh.body).toBe('');
    expect(fresh.headers.etag).toBe('"v1"');
    const weak = await ctx.app.inject({ method: 'GET', url: `/v1/departments/${id}`, headers: { 'if-none-match': 'W/"v1"' } });
    expect(weak.statusCode).toBe(304);
    await patch(id, '"v1"');
    const changed = await ctx.app.inject({ method: 'GET', url: `/v1/departments/${id}`, headers: { 'if-none-match': '"v1"' } });
    expect(changed.statusCode).toBe(200);
    expect(json(changed).version).toBe(2);
  });

  it('answers a PATCH that changes nothing with the record as it is: no new version, no audit event, the ETag still good', async () => {
    const id = await department();
    const audits = await auditCount();
    const empty = await patch(id, '"v1"', {});
    expect(empty.statusCode, empty.body).toBe(200);
    expect(json(empty).version).toBe(1);
    expect(empty.headers.etag).toBe('"v1"');
    const same = await patch(id, '"v1"', { name: '发改局', code: 'FGJ' });
    expect(json(same).version).toBe(1);
    expect(await auditCount()).toBe(audits);
    // A money value equal in numeric terms is no change either.
    const project = await ctx.app.inject({
      method: 'POST', url: '/v1/projects',
      payload: { code: 'P1', name: '项目', ownerUnit: '公司', category: 'transport', estimatedInvestment: '1000', departmentId: id },
    });
    const p = json(project);
    const unchanged = await ctx.app.inject({ method: 'PATCH', url: `/v1/projects/${p.id}`, payload: { estimatedInvestment: '1000.0000', supportingDepartmentIds: [] }, headers: { 'if-match': '"v1"' } });
    expect(unchanged.statusCode, unchanged.body).toBe(200);
    expect(json(unchanged).version).toBe(1);
    const changed = await ctx.app.inject({ method: 'PATCH', url: `/v1/projects/${p.id}`, payload: { estimatedInvestment: '1000.5' }, headers: { 'if-match': '"v1"' } });
    expect(json(changed)).toMatchObject({ version: 2, estimatedInvestment: '1000.5000' });
  });
});
