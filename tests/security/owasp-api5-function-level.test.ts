import type { InjectOptions } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { bearer } from '../support/keys.js';
import type { Role } from '../../src/lib/principal.js';
import { ALL_ROLES } from '../../src/modules/access/access.roles.js';
import { concreteUrl, created, expectProblem, operations, read, type Json, type Operation } from './owasp-fixtures.js';

/**
 * API5:2023 Broken Function Level Authorization. Every secured operation names its roles in the
 * OpenAPI document (x-required-roles); the auth plugin checks them in onRequest, before the body is
 * parsed or validated, so a bare request from any other role is a 403 forbidden_role whatever its
 * body. A read-only key is refused every write (403 read_only_key). Admin business (API keys,
 * departments, leaders, warning rules, webhooks) is refused to every lesser role with real,
 * valid requests that would otherwise succeed.
 */
const ctx = useTestApp();

interface Keys {
  byRole: Record<Role, string>;
  departmentId: string;
  leaderId: string;
}

async function keysForEveryRole(readOnly = false): Promise<Keys> {
  const department = await created(ctx, '/v1/departments', { code: 'OWF', name: '坦洲镇F局' });
  const leader = await created(ctx, '/v1/leaders', { name: 'F镇长', title: '镇长' });
  const departmentId = String(department.id);
  const leaderId = String(leader.id);
  const byRole = {} as Record<Role, string>;
  for (const role of ALL_ROLES) {
    byRole[role] = await ctx.key({
      role,
      readOnly,
      ...(role === 'department' ? { departmentId } : {}),
      ...(role === 'leader' ? { leaderId } : {}),
    });
  }
  return { byRole, departmentId, leaderId };
}

function bare(op: Operation, key: string): InjectOptions {
  return { method: op.method as InjectOptions['method'], url: concreteUrl(op.path), headers: bearer(key) };
}

const LESSER: Role[] = ['office', 'department', 'leader', 'viewer'];

const ADMIN_OPERATIONS = [
  'createApiKey',
  'listApiKeys',
  'getApiKey',
  'revokeApiKey',
  'createDepartment',
  'updateDepartment',
  'archiveDepartment',
  'createLeader',
  'updateLeader',
  'archiveLeader',
  'updateWarningRule',
  'createWebhookSubscription',
  'listWebhookSubscriptions',
  'getWebhookSubscription',
  'updateWebhookSubscription',
  'deleteWebhookSubscription',
  'listWebhookDeliveries',
  'redeliverWebhook',
];

describe('API5:2023 Broken Function Level Authorization', () => {
  it('declares roles (x-required-roles, non-empty, known roles only) on every secured operation, and admin only on admin business', async () => {
    const ops = await operations(ctx);
    const secured = ops.filter((op) => !op.path.startsWith('/health/'));
    expect(secured.length).toBeGreaterThan(50);
    for (const op of secured) {
      expect(op.roles, op.operationId).toBeDefined();
      expect(op.roles!.length, op.operationId).toBeGreaterThan(0);
      for (const role of op.roles!) expect(ALL_ROLES, op.operationId).toContain(role);
      // Whoever may write may also be the office's admin: admin is in every list.
      expect(op.roles, op.operationId).toContain('admin');
      // No write is open to viewers.
      if (op.method !== 'GET') expect(op.roles, op.operationId).not.toContain('viewer');
    }
    const byId = new Map(ops.map((op) => [op.operationId, op]));
    for (const id of ADMIN_OPERATIONS) expect(byId.get(id)?.roles, id).toEqual(['admin']);
  });

  describe.each(LESSER)('a %s key', (role) => {
    let keys: Keys;
    beforeEach(async () => {
      keys = await keysForEveryRole();
    });

    it('gets 403 forbidden_role on every operation whose x-required-roles leave it out, before any validation', async () => {
      const wrong: string[] = [];
      let checked = 0;
      for (const op of await operations(ctx)) {
        if (!op.roles || op.roles.includes(role)) continue;
        checked += 1;
        const response = await ctx.app.inject(bare(op, keys.byRole[role]));
        const code = response.statusCode === 403 ? json(response).code : undefined;
        if (code !== 'forbidden_role') wrong.push(`${op.method} ${op.path} (${op.operationId}): ${response.statusCode} ${response.body.slice(0, 120)}`);
        // HEAD twins of GET routes are guarded the same way.
        if (op.method === 'GET') {
          const head = await ctx.app.inject({ ...bare(op, keys.byRole[role]), method: 'HEAD' });
          if (head.statusCode !== 403) wrong.push(`HEAD ${op.path}: ${head.statusCode}`);
        }
      }
      if (role !== 'office') expect(checked).toBeGreaterThan(0);
      expect(wrong).toEqual([]);
    });

    it('is let past the role check on every operation that lists it', async () => {
      const wrong: string[] = [];
      for (const op of await operations(ctx)) {
        if (!op.roles?.includes(role)) continue;
        const response = await ctx.app.inject(bare(op, keys.byRole[role]));
        if (response.statusCode === 401 || (response.statusCode === 403 && json(response).code === 'forbidden_role')) {
          wrong.push(`${op.method} ${op.path}: ${response.statusCode} ${response.body.slice(0, 120)}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('read-only keys', () => {
    it('refuses every write operation to a read-only admin key with 403 read_only_key and lets it read', async () => {
      const keys = await keysForEveryRole(true);
      const wrong: string[] = [];
      for (const op of await operations(ctx)) {
        if (!op.roles) continue;
        const response = await ctx.app.inject(bare(op, keys.byRole.admin));
        const code = response.statusCode === 403 ? json(response).code : undefined;
        if (op.method === 'GET') {
          if (response.statusCode === 401 || response.statusCode === 403) wrong.push(`GET ${op.path}: ${response.statusCode}`);
        } else if (code !== 'read_only_key') {
          wrong.push(`${op.method} ${op.path} (${op.operationId}): ${response.statusCode} ${response.body.slice(0, 120)}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('refuses a read-only department key a write it could make otherwise (its own project\'s report)', async () => {
      const department = await created(ctx, '/v1/departments', { code: 'OWR', name: '坦洲镇R局' });
      const project = await created(ctx, '/v1/projects', { code: 'TZ-R', name: 'R项目', category: 'industrial_investment', estimatedInvestment: '10.0000', departmentId: department.id });
      const key = await ctx.key({ role: 'department', departmentId: String(department.id), readOnly: true });
      const payload = { projectId: project.id, period: '2022-03-H2', investmentCompleted: '1.0000', physicalProgress: '1.00', workOngoing: true };
      expectProblem(await ctx.app.inject({ method: 'POST', url: '/v1/progress-reports', payload, headers: bearer(key) }), 403, 'read_only_key');
      const writable = await ctx.key({ role: 'department', departmentId: String(department.id) });
      expect((await ctx.app.inject({ method: 'POST', url: '/v1/progress-reports', payload, headers: bearer(writable) })).statusCode).toBe(201);
    });
  });

  describe.each(LESSER)('admin business with a %s key and a valid request', (role) => {
    let keys: Keys;
    let refs: { departmentId: string; leaderId: string; ruleKey: string; adminKeyId: string };
    beforeEach(async () => {
      keys = await keysForEveryRole();
      const rules = json(await ctx.app.inject({ method: 'GET', url: '/v1/warning-rules' }));
      const apiKeys = json(await ctx.app.inject({ method: 'GET', url: '/v1/api-keys?role=admin&limit=200' }));
      refs = {
        departmentId: keys.departmentId,
        leaderId: keys.leaderId,
        ruleKey: String(rules.items[0].key),
        adminKeyId: String(apiKeys.items.find((k: Json) => k.name === 'test admin').id),
      };
    });

    /** A record as read, without lastUsedAt (which the refused key's own use moves). */
    const snapshot = async (url: string) => JSON.parse(JSON.stringify(await read(ctx, url), (k, v: unknown) => (k === 'lastUsedAt' ? undefined : v))) as unknown;

    async function refusedAndUnchanged(readUrl: string, options: InjectOptions) {
      const before = await read(ctx, readUrl);
      const state = await snapshot(readUrl);
      const headers = { ...(options.headers ?? {}), ...(before.etag ? { 'if-match': before.etag } : {}), ...bearer(keys.byRole[role]) };
      const response = await ctx.app.inject({ ...options, headers });
      expectProblem(response, 403, 'forbidden_role');
      expect(await snapshot(readUrl), `${options.method} ${options.url} changed nothing`).toEqual(state);
    }

    it('cannot create, list, read or revoke API keys (no privilege escalation)', async () => {
      await refusedAndUnchanged('/v1/api-keys?includeRevoked=true&limit=200', { method: 'POST', url: '/v1/api-keys', payload: { name: '提权', role: 'admin' } });
      await refusedAndUnchanged(`/v1/api-keys/${refs.adminKeyId}`, { method: 'DELETE', url: `/v1/api-keys/${refs.adminKeyId}` });
      expectProblem(await ctx.app.inject({ method: 'GET', url: '/v1/api-keys', headers: bearer(keys.byRole[role]) }), 403, 'forbidden_role');
      expectProblem(await ctx.app.inject({ method: 'GET', url: `/v1/api-keys/${refs.adminKeyId}`, headers: bearer(keys.byRole[role]) }), 403, 'forbidden_role');
      expect((await ctx.app.inject({ method: 'GET', url: '/v1/projects' })).statusCode, 'the admin key still works').toBe(200);
    });

    it('cannot create, change or archive departments and leaders', async () => {
      await refusedAndUnchanged('/v1/departments?includeArchived=true', { method: 'POST', url: '/v1/departments', payload: { code: 'NEW', name: '新局' } });
      await refusedAndUnchanged(`/v1/departments/${refs.departmentId}`, { method: 'PATCH', url: `/v1/departments/${refs.departmentId}`, payload: { name: '改名局' } });
      await refusedAndUnchanged(`/v1/departments/${refs.departmentId}`, { method: 'DELETE', url: `/v1/departments/${refs.departmentId}` });
      await refusedAndUnchanged('/v1/leaders', { method: 'POST', url: '/v1/leaders', payload: { name: '新领导', title: '镇长' } });
      await refusedAndUnchanged(`/v1/leaders/${refs.leaderId}`, { method: 'PATCH', url: `/v1/leaders/${refs.leaderId}`, payload: { title: '书记' } });
      await refusedAndUnchanged(`/v1/leaders/${refs.leaderId}`, { method: 'DELETE', url: `/v1/leaders/${refs.leaderId}` });
    });

    it('cannot change a warning rule', async () => {
      const url = `/v1/warning-rules/${refs.ruleKey}`;
      await refusedAndUnchanged(url, { method: 'PATCH', url, payload: { enabled: false } });
    });

    it('cannot subscribe webhooks nor see, change or redeliver them', async () => {
      await refusedAndUnchanged('/v1/webhook-subscriptions', { method: 'POST', url: '/v1/webhook-subscriptions', payload: { url: 'https://hooks.tanzhou.gov.cn/x', eventTypes: ['issue.opened'] } });
      const some = '0190c0de-0000-7000-8000-00000000beef';
      for (const [method, url] of [
        ['GET', '/v1/webhook-subscriptions'],
        ['GET', `/v1/webhook-subscriptions/${some}`],
        ['PATCH', `/v1/webhook-subscriptions/${some}`],
        ['DELETE', `/v1/webhook-subscriptions/${some}`],
        ['GET', `/v1/webhook-subscriptions/${some}/deliveries`],
        ['POST', `/v1/webhook-deliveries/${some}/redeliver`],
      ] as const) {
        expectProblem(await ctx.app.inject({ method, url, headers: bearer(keys.byRole[role]) }), 403, 'forbidden_role');
      }
    });
  });
});
