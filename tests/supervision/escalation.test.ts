import { describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../src/db/client.js';
import { escalateOverdueOrders } from '../../src/modules/supervision/supervision.public.js';
import { json, useTestApp } from '../support/app.js';
import { onRealPostgres } from '../support/db.js';
import { allowLocal, subscribe } from '../webhooks/helpers.js';
import { aWorld, china, made, order, step } from './helpers.js';

const ctx = useTestApp(allowLocal);

const get = async (url: string) => json(await ctx.app.inject({ method: 'GET', url }));

async function webhookEvents(type: string) {
  const { rows } = (await ctx.testDb.database.db.execute(`select data from webhook_events where type = '${type}' order by occurred_at, id`)) as unknown as { rows: { data: Record<string, unknown> }[] };
  return rows.map((r) => r.data);
}

describe('escalation of orders overdue for their reply', () => {
  it('goes one level up N days after the reply deadline and N more after that, with its reason, a webhook event and a change-feed entry', { timeout: 120_000 }, async () => {
    const w = await aWorld(ctx);
    await subscribe(ctx, 'http://127.0.0.1:9/hook', ['supervision.escalated']);
    const o = await made(ctx, '/v1/supervision-orders', order({ projectId: w.project.id, replyDueDate: '2022-03-10' }));
    const db = ctx.testDb.database.db;
    // Default rule: 3 days at each level.
    expect(await escalateOverdueOrders({ db, now: china('2022-03-12') })).toBe(0);
    expect(await escalateOverdueOrders({ db, now: china('2022-03-13') })).toBe(1);
    const once = await get(`/v1/supervision-orders/${o.id}`);
    expect(once).toMatchObject({ level: 2, escalationCount: 1, lastEscalatedOn: '2022-03-13', status: 'issued', version: 2 });
    // The same day again, and the next two days: nothing (level 2 has its own three days).
    expect(await escalateOverdueOrders({ db, now: china('2022-03-13', 20) })).toBe(0);
    expect(await escalateOverdueOrders({ db, now: china('2022-03-15') })).toBe(0);
    expect(await escalateOverdueOrders({ db, now: china('2022-03-16') })).toBe(1);
    expect(await get(`/v1/supervision-orders/${o.id}`)).toMatchObject({ level: 3, escalationCount: 2, lastEscalatedOn: '2022-03-16' });
    // Level 3 is the top: it stays there.
    expect(await escalateOverdueOrders({ db, now: china('2022-04-30') })).toBe(0);
    const steps = (await get(`/v1/supervision-orders/${o.id}/steps`)).items.filter((s: { kind: string }) => s.kind === 'escalate');
    expect(steps.map((s: { fromLevel: number; toLevel: number; stepOn: string; actor: string }) => [s.fromLevel, s.toLevel, s.stepOn, s.actor])).toEqual([
      [1, 2, '2022-03-13', 'system'],
      [2, 3, '2022-03-16', 'system'],
    ]);
    expect(steps[0].note).toContain('Reply overdue by 3 days');
    expect(steps[1].note).toContain('答复逾期6天');
    const events = await webhookEvents('supervision.escalated');
    expect(events.map((e) => [e.orderId, e.fromLevel, e.toLevel, e.escalatedOn])).toEqual([
      [o.id, 1, 2, '2022-03-13'],
      [o.id, 2, 3, '2022-03-16'],
    ]);
    expect(events[0]!.reason).toBe(steps[0].note);
    // The feed shows a change once every older transaction has ended; on a shared PostgreSQL server
    // another database's transaction can hold it back for a while, so it is polled for the three.
    const ofOrder = async () => (await get('/v1/changes?limit=200')).items.filter((c: { resourceType: string; resourceId: string }) => c.resourceType === 'supervision_order' && c.resourceId === o.id);
    let changes = await ofOrder();
    for (const deadline = Date.now() + 60_000; changes.length < 3 && Date.now() < deadline; changes = await ofOrder()) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(changes.map((c: { kind: string; actor: string; state: { level: number } }) => [c.kind, c.actor, c.state.level])).toEqual([
      ['create', expect.any(String), 1],
      ['transition', 'system', 2],
      ['transition', 'system', 3],
    ]);
  });

  it('does not escalate an order once its fix plan is in, and counts again from a send-back’s new deadline', async () => {
    const w = await aWorld(ctx);
    const db = ctx.testDb.database.db;
    const o = await made(ctx, '/v1/supervision-orders', order({ projectId: w.project.id, replyDueDate: '2022-03-10' }));
    await step(ctx, o.id, { action: 'reply_plan', on: '2022-03-09', note: '方案' }, w.departmentKey);
    expect(await escalateOverdueOrders({ db, now: china('2022-03-20') })).toBe(0);
    await step(ctx, o.id, { action: 'send_back', on: '2022-03-21', note: '方案不具体', replyDueDate: '2022-03-25' });
    expect(await escalateOverdueOrders({ db, now: china('2022-03-27') })).toBe(0);
    expect(await escalateOverdueOrders({ db, now: china('2022-03-28') })).toBe(1);
    expect(await get(`/v1/supervision-orders/${o.id}`)).toMatchObject({ level: 2, status: 'returned' });
  });

  it('follows its rules as data: a changed number of days, and a disabled level', async () => {
    const w = await aWorld(ctx);
    const db = ctx.testDb.database.db;
    const rules = await get('/v1/supervision-escalation-rules');
    expect(rules.items.map((r: { fromLevel: number; toLevel: number; overdueDays: number }) => [r.fromLevel, r.toLevel, r.overdueDays])).toEqual([[1, 2, 3], [2, 3, 3]]);
    const patched = await ctx.app.inject({ method: 'PATCH', url: '/v1/supervision-escalation-rules/1', headers: { 'if-match': '"v1"' }, payload: { overdueDays: 10 } });
    expect(json(patched)).toMatchObject({ fromLevel: 1, overdueDays: 10, version: 2 });
    await ctx.app.inject({ method: 'PATCH', url: '/v1/supervision-escalation-rules/2', headers: { 'if-match': '"v1"' }, payload: { enabled: false } });
    const o = await made(ctx, '/v1/supervision-orders', order({ projectId: w.project.id, replyDueDate: '2022-03-10' }));
    expect(await escalateOverdueOrders({ db, now: china('2022-03-19') })).toBe(0);
    expect(await escalateOverdueOrders({ db, now: china('2022-03-20') })).toBe(1);
    expect(await escalateOverdueOrders({ db, now: china('2022-06-30') })).toBe(0);
    expect(await get(`/v1/supervision-orders/${o.id}`)).toMatchObject({ level: 2 });
    const history = await get('/v1/supervision-escalation-rules/1/history');
    expect(history.items.map((v: { record: { overdueDays: number } }) => v.record.overdueDays)).toEqual([3, 10]);
    expect((await ctx.app.inject({ method: 'PATCH', url: '/v1/supervision-escalation-rules/1', headers: { 'if-match': '"v2"' }, payload: { overdueDays: 0 } })).statusCode).toBe(400);
  });

  it('escalates an order exactly once when two runs race for it on one database', async () => {
    const w = await aWorld(ctx);
    const db = ctx.testDb.database.db;
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push(await made(ctx, '/v1/supervision-orders', order({ projectId: w.project.id, title: `督办${i}`, replyDueDate: '2022-03-10' })));
    const counts = await Promise.all([escalateOverdueOrders({ db, now: china('2022-03-14'), batchSize: 2 }), escalateOverdueOrders({ db, now: china('2022-03-14'), batchSize: 2 })]);
    expect(counts[0] + counts[1]).toBe(5);
    for (const o of orders) expect(await get(`/v1/supervision-orders/${o.id}`)).toMatchObject({ level: 2, escalationCount: 1 });
  });

  it.runIf(onRealPostgres())('escalates every order exactly once when two instances race with SKIP LOCKED (PostgreSQL)', async () => {
    const w = await aWorld(ctx);
    const orders = [];
    for (let i = 0; i < 30; i++) orders.push(await made(ctx, '/v1/supervision-orders', order({ projectId: w.project.id, title: `督办${i}`, replyDueDate: '2022-03-10' })));
    const instances = [createPostgresDatabase({ url: ctx.testDb.url!, poolMax: 3 }), createPostgresDatabase({ url: ctx.testDb.url!, poolMax: 3 })];
    try {
      const counts = await Promise.all(instances.map((instance) => escalateOverdueOrders({ db: instance.db, now: china('2022-03-14'), batchSize: 2 })));
      expect(counts[0]! + counts[1]!).toBe(30);
      expect(counts[0]).toBeGreaterThan(0);
      expect(counts[1]).toBeGreaterThan(0);
      const { rows } = (await ctx.testDb.database.db.execute(
        `select order_id, count(*)::int as n from supervision_order_steps where kind = 'escalate' group by order_id`,
      )) as unknown as { rows: { order_id: string; n: number }[] };
      expect(rows).toHaveLength(30);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      // Racing again the same day changes nothing.
      const again = await Promise.all(instances.map((instance) => escalateOverdueOrders({ db: instance.db, now: china('2022-03-14', 18) })));
      expect(again).toEqual([0, 0]);
    } finally {
      await Promise.all(instances.map((i) => i.close()));
    }
  });
});
