import { describe, expect, it } from 'vitest';
import { createGate } from '../../src/lib/gate.js';
import { json, useTestApp } from '../support/app.js';

// One import at a time, one waiting: a third at once is turned away.
const ctx = useTestApp({ IMPORT_CONCURRENCY: '1', IMPORT_QUEUE_MAX: '1' });

const HEADER = 'code,name,category,estimatedInvestment,department,year,list,stage,plannedInvestment';

function csvOf(prefix: string, rows: number) {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}-${i},项目${i},工业投资,100.5,GXJ,2022,city_key,continuing,1`);
  return lines.join('\n');
}

describe('imports take turns', () => {
  it('runs one import at a time per instance, queues the next and turns away the rest with 503 and Retry-After', async () => {
    expect((await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'GXJ', name: '工信局' } })).statusCode).toBe(201);
    const send = (prefix: string) =>
      ctx.app.inject({ method: 'POST', url: '/v1/imports/projects', payload: csvOf(prefix, 1500), headers: { 'content-type': 'text/csv' } });
    const answers = await Promise.all([send('A'), send('B'), send('C')]);
    // Which of the three arrives last at the gate is up to the scheduler; two run, one is turned away.
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 201, 503]);
    const refused = answers.find((r) => r.statusCode === 503)!;
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(refused).code).toBe('imports_busy');
    // The turns were handed on: a later import runs.
    expect((await send('D')).statusCode).toBe(201);
  });

  it('refuses before waiting when the caller is not allowed to import (authentication runs first)', async () => {
    const viewer = await ctx.key({ role: 'viewer', name: 'viewer' });
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/v1/imports/projects',
      payload: csvOf('V', 1),
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${viewer}` },
    });
    expect(response.statusCode).toBe(403);
  });
});

describe('the gate', () => {
  it('admits up to its concurrency, queues in arrival order, refuses past the queue, and releases once', async () => {
    const gate = createGate({ concurrency: 2, queueMax: 2 });
    const a = (await gate.enter())!;
    const b = (await gate.enter())!;
    const order: string[] = [];
    const c = gate.enter().then((release) => (order.push('c'), release!));
    const d = gate.enter().then((release) => (order.push('d'), release!));
    expect(await gate.enter()).toBeNull();
    expect(gate.stats()).toEqual({ active: 2, waiting: 2 });
    a();
    a(); // a second call hands on nothing more
    const releaseC = await c;
    expect(order).toEqual(['c']);
    expect(gate.stats()).toEqual({ active: 2, waiting: 1 });
    b();
    const releaseD = await d;
    expect(order).toEqual(['c', 'd']);
    releaseC();
    releaseD();
    expect(gate.stats()).toEqual({ active: 0, waiting: 0 });
  });
});
