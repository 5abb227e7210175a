import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { fixtures } from './fixtures.js';
import { lightOf } from './support.js';

const ctx = useTestApp();
let shared: ReturnType<typeof fixtures> | undefined;
/** One fixture set per file, so generated codes stay unique. */
const f = () => (shared ??= fixtures(ctx.testDb.database.db));

async function rule(key: string) {
  const response = await ctx.app.inject({ method: 'GET', url: `/v1/warning-rules/${key}` });
  expect(response.statusCode, response.body).toBe(200);
  return { body: json(response), etag: response.headers.etag as string };
}

function patch(key: string, payload: Record<string, unknown>, etag?: string) {
  return ctx.app.inject({
    method: 'PATCH',
    url: `/v1/warning-rules/${key}`,
    payload,
    headers: etag ? { 'if-match': etag } : {},
  });
}

describe('warning rules', () => {
  it('lists the five default rules with their thresholds', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/v1/warning-rules' });
    expect(response.statusCode).toBe(200);
    const items = json(response).items;
    expect(items.map((r: { key: string; enabled: boolean; yellowThreshold: string; redThreshold: string | null; version: number }) => [r.key, r.enabled, r.yellowThreshold, r.redThreshold, r.version])).toEqual([
      ['not_started', true, '0.0000', '90.0000', 1],
      ['behind_schedule', true, '10.0000', '30.0000', 1],
      ['missing_reports', true, '1.0000', '2.0000', 1],
      ['overdue_issue', true, '1.0000', null, 1],
      ['milestone_overdue', true, '1.0000', '30.0000', 1],
    ]);
    expect(items[1].descriptionZh).toContain('序时进度');
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/warning-rules?enabled=true' })).statusCode).toBe(400);
  });

  it('changes a light when a threshold is changed through PATCH, and audits the change', async () => {
    const d = await f().department();
    // 2022-07-01: elapsed 49.86 %, completed 16000 of 36500 = 43.84 %: 6.03 points behind.
    const p = await f().project({ departmentId: d.id, planned: '36500.0000' });
    await f().report({ projectId: p.id, departmentId: d.id, period: '2022-06-H1', investments: ['16000.0000'] });
    expect((await lightOf(ctx, p.id, '2022-07-01')).light).toBe('green');

    const { etag } = await rule('behind_schedule');
    const changed = await patch('behind_schedule', { yellowThreshold: '5', redThreshold: '6' }, etag);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.headers.etag).toBe('"v2"');
    expect(json(changed)).toMatchObject({ yellowThreshold: '5.0000', redThreshold: '6.0000', version: 2 });
    expect((await lightOf(ctx, p.id, '2022-07-01')).rules).toEqual({ behind_schedule: 'red' });

    const moreRoom = await patch('behind_schedule', { redThreshold: '6.5' }, '"v2"');
    expect(moreRoom.statusCode, moreRoom.body).toBe(200);
    expect((await lightOf(ctx, p.id, '2022-07-01')).rules).toEqual({ behind_schedule: 'yellow' });

    const disabled = await patch('behind_schedule', { enabled: false }, '"v3"');
    expect(disabled.statusCode).toBe(200);
    expect((await lightOf(ctx, p.id, '2022-07-01')).light).toBe('green');

    const audit = json(await ctx.app.inject({ method: 'GET', url: `/v1/audit-events?resourceType=warning_rule&limit=200` }));
    const updates = audit.items.filter((e: { action: string }) => e.action === 'update');
    expect(updates).toHaveLength(3);
    expect(new Set(updates.map((e: { resourceId: string }) => e.resourceId)).size).toBe(1);
    expect(updates.map((e: { after: { redThreshold: string } }) => e.after.redThreshold).sort()).toEqual(['6.0000', '6.5000', '6.5000']);
    // The defaults written on first read are audited too, under the actor "system".
    const created = audit.items.filter((e: { action: string }) => e.action === 'create');
    expect(created.map((e: { actor: string }) => e.actor)).toEqual(['system', 'system', 'system', 'system', 'system']);
  });

  it('refuses a stale ETag with 412 and a missing one with 428, leaving the rule unchanged', async () => {
    const { etag } = await rule('missing_reports');
    expect((await patch('missing_reports', { redThreshold: '3' }, etag)).statusCode).toBe(200);
    const stale = await patch('missing_reports', { redThreshold: '4' }, etag);
    expect(stale.statusCode).toBe(412);
    expect(json(stale).code).toBe('precondition_failed');
    expect((await patch('missing_reports', { redThreshold: '4' })).statusCode).toBe(428);
    expect((await rule('missing_reports')).body).toMatchObject({ redThreshold: '3.0000', version: 2 });
  });

  it('refuses yellow at or above red, fractional day counts and unknown fields', async () => {
    const { etag } = await rule('not_started');
    const equal = await patch('not_started', { yellowThreshold: '90' }, etag);
    expect(equal.statusCode).toBe(422);
    expect(json(equal).code).toBe('warning_thresholds_invalid');
    expect((await patch('not_started', { yellowThreshold: '30', redThreshold: '20' }, etag)).statusCode).toBe(422);
    expect((await patch('not_started', { yellowThreshold: '0.5' }, etag)).statusCode).toBe(422);
    expect((await patch('not_started', { colour: 'red' }, etag)).statusCode).toBe(400);
    expect((await patch('no_such_rule', { enabled: false }, etag)).statusCode).toBe(400);
    expect((await rule('not_started')).body.version).toBe(1);
  });

  it('makes a red missing_reports light from three missing periods once red is raised to 3', async () => {
    const d = await f().department();
    const p = await f().project({ departmentId: d.id });
    await f().status(p.id, 'under_construction', '2022-01-01');
    await f().reportsBetween({ projectId: p.id, departmentId: d.id, from: '2022-01-H1', to: '2022-02-H1' });
    expect((await lightOf(ctx, p.id, '2022-03-31')).rules).toEqual({ missing_reports: 'red' });
    const { etag } = await rule('missing_reports');
    expect((await patch('missing_reports', { redThreshold: '4' }, etag)).statusCode).toBe(200);
    const yellow = await lightOf(ctx, p.id, '2022-03-31');
    expect(yellow.reasons).toEqual([
      {
        rule: 'missing_reports',
        level: 'yellow',
        inputs: { lastPeriod: '2022-03-H2', consecutiveMissing: 3, missingPeriods: ['2022-03-H2', '2022-03-H1', '2022-02-H2'] },
      },
    ]);
  });
});
