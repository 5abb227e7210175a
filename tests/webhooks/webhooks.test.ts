import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';
import { insertDepartment, insertPlan, insertProject } from '../support/direct-rows.js';
import { retryDelayMs } from '../../src/modules/webhooks/webhooks.worker.js';
import { evaluateLightChanges } from '../../src/modules/webhooks/webhooks.lights.js';
import { isHostAllowed } from '../../src/modules/webhooks/webhooks.hosts.js';
import { dateInChina } from '../../src/lib/china-time.js';
import { allowLocal, approveProject, senderFor, subscribe, verifySignature } from './helpers.js';
import { startReceiver } from './receiver.js';

const ctx = useTestApp(allowLocal);
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function receiver(options: { delayMs?: number } = {}) {
  const r = await startReceiver(options);
  closers.push(r.close);
  return r;
}

async function deliveriesOf(subscriptionId: string) {
  const response = await ctx.app.inject({ method: 'GET', url: `/v1/webhook-subscriptions/${subscriptionId}/deliveries` });
  expect(response.statusCode).toBe(200);
  return json(response).items;
}

describe('webhook subscriptions', () => {
  it('refuses a subscription whose host is not on the allow-list with 422', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook-subscriptions',
      payload: { url: 'http://169.254.169.254/latest/meta-data', eventTypes: ['issue.opened'] },
    });
    expect(response.statusCode).toBe(422);
    expect(json(response).code).toBe('webhook_host_not_allowed');
  });

  it('refuses to move a subscription to a host that is not allowed', async () => {
    const r = await receiver();
    const created = await subscribe(ctx, r.url, ['issue.opened']);
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/webhook-subscriptions/${created.id}`,
      headers: { 'if-match': '"v1"' },
      payload: { url: 'http://internal.example/hook' },
    });
    expect(response.statusCode).toBe(422);
  });

  it('shows the secret once on creation and never in reads, the audit trail or the change feed', async () => {
    const r = await receiver();
    const created = await subscribe(ctx, r.url, ['project.status_changed']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const one = await ctx.app.inject({ method: 'GET', url: `/v1/webhook-subscriptions/${created.id}` });
    const list = await ctx.app.inject({ method: 'GET', url: '/v1/webhook-subscriptions' });
    const audit = await ctx.app.inject({ method: 'GET', url: '/v1/audit-events?resourceType=webhook_subscription' });
    // On a shared server the feed may wait a moment for other transactions to end (see tests/changes).
    let feed = await ctx.app.inject({ method: 'GET', url: '/v1/changes?types=webhook_subscription' });
    for (let i = 0; i < 100 && json(feed).items.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      feed = await ctx.app.inject({ method: 'GET', url: '/v1/changes?types=webhook_subscription' });
    }
    expect(json(one).eventTypes).toEqual(['project.status_changed']);
    expect(json(audit).items).toHaveLength(1);
    expect(json(feed).items).toHaveLength(1);
    for (const response of [one, list, audit, feed]) expect(response.body).not.toContain(created.secret);
  });

  it('changes and deletes a subscription under If-Match', async () => {
    const r = await receiver();
    const created = await subscribe(ctx, r.url, ['issue.opened']);
    const patched = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/webhook-subscriptions/${created.id}`,
      headers: { 'if-match': '"v1"' },
      payload: { active: false, eventTypes: ['issue.opened', 'issue.resolved'] },
    });
    expect(patched.statusCode).toBe(200);
    expect(json(patched)).toMatchObject({ active: false, version: 2, eventTypes: ['issue.opened', 'issue.resolved'] });
    const stale = await ctx.app.inject({ method: 'DELETE', url: `/v1/webhook-subscriptions/${created.id}`, headers: { 'if-match': '"v1"' } });
    expect(stale.statusCode).toBe(412);
    const deleted = await ctx.app.inject({ method: 'DELETE', url: `/v1/webhook-subscriptions/${created.id}`, headers: { 'if-match': '"v2"' } });
    expect(deleted.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/webhook-subscriptions/${created.id}` })).statusCode).toBe(404);
  });
});

describe('webhook deliveries', () => {
  it('posts a signed event that the receiver can verify, with its id and type headers', async () => {
    const r = await receiver();
    const { id, secret } = await subscribe(ctx, r.url, ['project.status_changed']);
    const projectId = await approveProject(ctx);
    expect(await senderFor(ctx.testDb.database.db).runOnce()).toBe(1);

    expect(r.received).toHaveLength(1);
    const [request] = r.received;
    const body = JSON.parse(request!.body);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['kpo-event-type']).toBe('project.status_changed');
    expect(request!.headers['kpo-event-id']).toBe(body.id);
    expect(verifySignature(String(request!.headers['kpo-signature']), request!.body, secret)).toBe(true);
    expect(verifySignature(String(request!.headers['kpo-signature']), request!.body, 'whsec_wrong')).toBe(false);
    expect(verifySignature(String(request!.headers['kpo-signature']), request!.body, secret, Math.floor(Date.now() / 1000) + 301)).toBe(false);
    expect(body).toMatchObject({ type: 'project.status_changed', data: { projectId, fromStatus: 'planning', toStatus: 'approved' } });

    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, lastResponseCode: 200, eventId: body.id, nextAttemptAt: null });
    expect(delivery.attemptLog).toEqual([expect.objectContaining({ attempt: 1, responseCode: 200, error: null })]);
  });

  it('writes no event when nobody subscribes, and only the types a subscription asked for', async () => {
    const r = await receiver();
    await approveProject(ctx, 'TZ-2022-002');
    await subscribe(ctx, r.url, ['issue.resolved']);
    await approveProject(ctx, 'TZ-2022-003');
    expect(await senderFor(ctx.testDb.database.db).runOnce()).toBe(0);
    const events = await ctx.testDb.database.db.execute(sql`select count(*)::int as n from webhook_events`);
    expect((events as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
  });

  it('retries after a 500 and logs both attempts with their response codes', async () => {
    const r = await receiver();
    r.answer({ status: 500 });
    const { id } = await subscribe(ctx, r.url, ['project.status_changed']);
    await approveProject(ctx);
    const sender = senderFor(ctx.testDb.database.db);

    await sender.runOnce();
    const [afterFailure] = await deliveriesOf(id);
    expect(afterFailure).toMatchObject({ status: 'pending', attempts: 1, lastResponseCode: 500, lastError: 'HTTP 500' });

    await sender.runOnce();
    const [afterRetry] = await deliveriesOf(id);
    expect(afterRetry).toMatchObject({ status: 'succeeded', attempts: 2, lastResponseCode: 200, lastError: null });
    expect(afterRetry.attemptLog.map((a: { responseCode: number }) => a.responseCode)).toEqual([500, 200]);
    expect(r.received).toHaveLength(2);
    expect(r.received[0]!.headers['kpo-event-id']).toBe(r.received[1]!.headers['kpo-event-id']);
  });

  it('waits out the backoff before retrying', async () => {
    const r = await receiver();
    r.answer({ status: 503 });
    await subscribe(ctx, r.url, ['project.status_changed']);
    await approveProject(ctx);
    const sender = senderFor(ctx.testDb.database.db, { WEBHOOK_RETRY_BASE_MS: '600000', WEBHOOK_RETRY_CAP_MS: '600000' });
    expect(await sender.runOnce()).toBe(1);
    const due = await ctx.testDb.database.db.execute(sql`select next_attempt_at > now() as later from webhook_deliveries`);
    // Full jitter may draw 0; anything else lies in the future.
    expect(await sender.runOnce()).toBeLessThanOrEqual((due as unknown as { rows: { later: boolean }[] }).rows[0]!.later ? 0 : 1);
  });

  it('gives up after the configured number of attempts', async () => {
    const r = await receiver();
    r.answer({ status: 500 }, { status: 500 }, { status: 500 });
    const { id } = await subscribe(ctx, r.url, ['project.status_changed']);
    await approveProject(ctx);
    const sender = senderFor(ctx.testDb.database.db, { WEBHOOK_MAX_ATTEMPTS: '2' });
    await sender.runOnce();
    await sender.runOnce();
    expect(await sender.runOnce()).toBe(0);
    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: null });
    expect(r.received).toHaveLength(2);
  });

  it('does not follow redirects', async () => {
    const r = await receiver();
    r.answer({ status: 302, headers: { location: '/elsewhere' } });
    const { id } = await subscribe(ctx, r.url, ['project.status_changed']);
    await approveProject(ctx);
    await senderFor(ctx.testDb.database.db).runOnce();
    expect(r.received.map((x) => x.path)).toEqual(['/hooks/kpo']);
    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: 'pending', lastResponseCode: 302 });
    expect(delivery.lastError).toContain('redirects are not followed');
  });

  it('re-checks the allow-list when delivering', async () => {
    const r = await receiver();
    const { id } = await subscribe(ctx, r.url, ['project.status_changed']);
    await approveProject(ctx);
    await senderFor(ctx.testDb.database.db, { WEBHOOK_ALLOWED_HOSTS: 'hooks.tanzhou.gov.cn' }).runOnce();
    expect(r.received).toHaveLength(0);
    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastResponseCode: null });
    expect(delivery.lastError).toContain('not allowed');
  });

  it('redelivers on request as a new delivery of the same event', async () => {
    const r = await receiver();
    const { id } = await subscribe(ctx, r.url, ['project.status_changed']);
    await approveProject(ctx);
    const sender = senderFor(ctx.testDb.database.db);
    await sender.runOnce();
    const [original] = await deliveriesOf(id);

    const response = await ctx.app.inject({ method: 'POST', url: `/v1/webhook-deliveries/${original.id}/redeliver` });
    expect(response.statusCode).toBe(202);
    expect(json(response)).toMatchObject({ status: 'pending', attempts: 0, redeliveryOf: original.id, eventId: original.eventId });
    await sender.runOnce();

    expect(r.received.map((x) => x.headers['kpo-event-id'])).toEqual([original.eventId, original.eventId]);
    const log = await deliveriesOf(id);
    expect(log.map((d: { status: string }) => d.status)).toEqual(['succeeded', 'succeeded']);
    const missing = await ctx.app.inject({ method: 'POST', url: '/v1/webhook-deliveries/01860c6e-7b3c-7d4e-8f90-1a2b3c4d5e6f/redeliver' });
    expect(missing.statusCode).toBe(404);
  });

  it('announces issues opened and resolved, and reports submitted late', async () => {
    const r = await receiver();
    await subscribe(ctx, r.url, ['issue.opened', 'issue.resolved', 'report.submitted', 'report.late']);
    const departmentId = await insertDepartment(ctx, 'ZJJ');
    const projectId = await insertProject(ctx, { departmentId, code: 'TZ-2022-010' });
    const issue = await ctx.app.inject({
      method: 'POST',
      url: '/v1/issues',
      payload: { projectId, title: '临时用电报装', source: 'other', raisedOn: '2022-02-10', handlingMode: 'immediate', assignedDepartmentId: departmentId, category: 'power' },
    });
    expect(issue.statusCode).toBe(201);
    const resolved = await ctx.app.inject({
      method: 'POST',
      url: `/v1/issues/${json(issue).id}/transitions`,
      headers: { 'if-match': '"v1"' },
      payload: { toStatus: 'resolved', resolution: '供电部门马上办，已送电', resolvedOn: '2022-02-12' },
    });
    expect(resolved.statusCode).toBe(200);
    const report = await ctx.app.inject({
      method: 'POST',
      url: '/v1/progress-reports',
      payload: { projectId, period: '2022-03-H1', investmentCompleted: '120.0000', physicalProgress: '10.00', workOngoing: true, submittedAt: '2022-04-01T02:00:00Z' },
    });
    expect(report.statusCode).toBe(201);
    await senderFor(ctx.testDb.database.db).runOnce();
    const types = r.received.map((x) => x.headers['kpo-event-type']).sort();
    expect(types).toEqual(['issue.opened', 'issue.resolved', 'report.late', 'report.submitted']);
  });
});

describe('warning light changes', () => {
  it('records the first lights silently and announces a later change of light', async () => {
    const r = await receiver();
    await subscribe(ctx, r.url, ['warning.light_changed']);
    const departmentId = await insertDepartment(ctx, 'FGJ');
    const projectId = await insertProject(ctx, { departmentId, code: 'TZ-2022-020' });
    const year = Number(dateInChina(new Date()).slice(0, 4));
    await insertPlan(ctx, { projectId, year, list: 'city_key' });
    const db = ctx.testDb.database.db;

    expect(await evaluateLightChanges({ db })).toBe(0);
    const states = await db.execute(sql`select light from webhook_light_states where project_id = ${projectId}`);
    const [{ light }] = (states as unknown as { rows: { light: string }[] }).rows as [{ light: string }];
    expect(await evaluateLightChanges({ db })).toBe(0);

    // As if the last light announced had been another one.
    const previous = light === 'red' ? 'green' : 'red';
    await db.execute(sql`update webhook_light_states set light = ${previous} where project_id = ${projectId}`);
    expect(await evaluateLightChanges({ db })).toBe(1);
    await senderFor(db).runOnce();
    expect(r.received).toHaveLength(1);
    expect(JSON.parse(r.received[0]!.body).data).toMatchObject({ projectId, year, list: 'city_key', previousLight: previous, light });
  });
});

describe('delivery policy', () => {
  it('backs off exponentially with full jitter up to the cap', () => {
    const config = { WEBHOOK_RETRY_BASE_MS: 30_000, WEBHOOK_RETRY_CAP_MS: 3_600_000 };
    const top = () => 0.999999;
    expect(retryDelayMs(1, config, top)).toBe(29_999);
    expect(retryDelayMs(2, config, top)).toBe(59_999);
    expect(retryDelayMs(8, config, top)).toBe(3_599_996);
    expect(retryDelayMs(9, config, top)).toBe(3_599_996);
    expect(retryDelayMs(5, config, () => 0)).toBe(0);
  });

  it('matches hosts, wildcards and ports against the allow-list, and nothing when it is empty', () => {
    const list = ['hooks.tanzhou.gov.cn', '*.zjj.gov.cn', '127.0.0.1:8080'];
    expect(isHostAllowed('https://hooks.tanzhou.gov.cn/x', list)).toBe(true);
    expect(isHostAllowed('https://a.zjj.gov.cn/x', list)).toBe(true);
    expect(isHostAllowed('https://zjj.gov.cn/x', list)).toBe(false);
    expect(isHostAllowed('https://evilzjj.gov.cn/x', list)).toBe(false);
    expect(isHostAllowed('http://127.0.0.1:8080/x', list)).toBe(true);
    expect(isHostAllowed('http://127.0.0.1:8081/x', list)).toBe(false);
    expect(isHostAllowed('ftp://hooks.tanzhou.gov.cn/x', list)).toBe(false);
    expect(isHostAllowed('https://hooks.tanzhou.gov.cn/x', [])).toBe(false);
  });
});
