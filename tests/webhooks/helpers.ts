import { createHmac } from 'node:crypto';
import { testConfig } from '../../src/config.js';
import { createDeliverySender } from '../../src/modules/webhooks/webhooks.worker.js';
import type { Db } from '../../src/db/types.js';
import { json, type TestContext } from '../support/app.js';
import { insertDepartment, insertProject } from '../support/direct-rows.js';

export const allowLocal = { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_BASE_MS: '0' };

export function senderFor(db: Db, overrides: Record<string, string> = {}) {
  return createDeliverySender({ db, config: testConfig({ ...allowLocal, ...overrides }) });
}

export async function subscribe(ctx: TestContext, url: string, eventTypes: string[]) {
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/webhook-subscriptions', payload: { url, eventTypes } });
  if (response.statusCode !== 201) throw new Error(`subscription not created: ${response.body}`);
  return json(response) as { id: string; secret: string; version: number };
}

/** A project moved from planning to approved through the API: one project.status_changed event. */
export async function approveProject(ctx: TestContext, code = 'TZ-2022-001'): Promise<string> {
  const departmentId = await insertDepartment(ctx, `D${code.replace(/\W/g, '')}`);
  const projectId = await insertProject(ctx, { departmentId, code });
  const response = await ctx.app.inject({
    method: 'POST',
    url: `/v1/projects/${projectId}/transitions`,
    headers: { 'if-match': '"v1"' },
    payload: { toStatus: 'approved', effectiveDate: '2022-01-20' },
  });
  if (response.statusCode !== 200) throw new Error(`transition failed: ${response.body}`);
  return projectId;
}

/** The check a receiver makes: HMAC-SHA256 of "<t>.<body>" with the secret, t within 5 minutes. */
export function verifySignature(header: string, body: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return parts.v1 === expected;
}
