import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { hashKey } from '../../src/modules/api-keys/api-keys.token.js';
import { buildWorld, created, expectProblem, openapiDocument, read, reportFigures, type Json, type World } from './owasp-fixtures.js';

/**
 * API3:2023 Broken Object Property Level Authorization: mass assignment (fields the server sets are
 * refused on create and update: bodies are strict, so an unknown or read-only field is a 400
 * validation_failed and nothing is written) and excessive data exposure (responses hold only their
 * documented fields; key hashes and webhook secrets never leave, the audit trail included).
 */
const ALLOWED_HOST = 'hooks.tanzhou.gov.cn';
const ctx = useTestApp({ WEBHOOK_ALLOWED_HOSTS: ALLOWED_HOST });

const SOME_ID = '0190c0de-0000-7000-8000-00000000cafe';
const SOME_TIME = '2020-01-01T00:00:00.000Z';

interface Resource {
  name: string;
  collection: string;
  /** Listing to count records by, as admin. */
  listUrl: (w: World) => string;
  createBody: (w: World) => Json;
  /** Server-set fields with a value someone might try to force. */
  serverSet: Json;
  /** A record to PATCH, and a valid patch (so only the injected field is wrong); absent where no PATCH exists. */
  patch?: { url: (w: World) => string; body: Json; serverSet?: Json };
}

const common = { id: SOME_ID, version: 99, createdAt: SOME_TIME, updatedAt: SOME_TIME };

const resources: Resource[] = [
  {
    name: 'department',
    collection: '/v1/departments',
    listUrl: () => '/v1/departments?includeArchived=true&limit=200',
    createBody: () => ({ code: 'OWX', name: '坦洲镇X局' }),
    serverSet: { ...common, archivedAt: SOME_TIME },
    patch: { url: (w) => `/v1/departments/${w.A.departmentId}`, body: { shortName: '甲' } },
  },
  {
    name: 'leader',
    collection: '/v1/leaders',
    listUrl: () => '/v1/leaders?limit=200',
    createBody: () => ({ name: '王镇长', title: '镇长' }),
    serverSet: { ...common, archivedAt: SOME_TIME },
    patch: { url: (w) => `/v1/leaders/${w.A.leaderId}`, body: { title: '党委书记' } },
  },
  {
    name: 'project',
    collection: '/v1/projects',
    listUrl: () => '/v1/projects?limit=200',
    createBody: (w) => ({ code: 'TZ-OWASP-X', name: 'X项目', category: 'industrial_investment', estimatedInvestment: '1000.0000', departmentId: w.A.departmentId }),
    serverSet: { ...common, status: 'completed', actualStartDate: '2022-01-01', actualCompletionDate: '2022-12-31', archivedAt: SOME_TIME },
    patch: { url: (w) => `/v1/projects/${w.A.projectId}`, body: { location: '坦洲园' } },
  },
  {
    name: 'issue',
    collection: '/v1/issues',
    listUrl: () => '/v1/issues?limit=200',
    createBody: (w) => ({ projectId: w.A.projectId, title: '用地', category: 'land', source: 'other', raisedOn: '2022-03-01', handlingMode: 'immediate', assignedDepartmentId: w.A.departmentId }),
    serverSet: { ...common, status: 'resolved', resolution: '已解决', resolvedOn: '2022-03-02' },
    patch: { url: (w) => `/v1/issues/${w.A.issueId}`, body: { assigneeName: '王工' } },
  },
  {
    name: 'progress report',
    collection: '/v1/progress-reports',
    listUrl: () => '/v1/progress-reports?limit=200',
    createBody: (w) => ({ projectId: w.A.projectId, period: '2022-04-H1', ...reportFigures }),
    serverSet: {
      ...common,
      departmentId: SOME_ID,
      late: false,
      currentRevision: 7,
      dueDate: '2030-01-01',
      periodStart: '2022-04-01',
      periodEnd: '2022-04-15',
      yearToDateInvestment: '1.0000',
      cumulativeInvestment: '1.0000',
      revisedAt: SOME_TIME,
    },
  },
  {
    name: 'inspection',
    collection: '/v1/inspections',
    listUrl: () => '/v1/inspections?limit=200',
    createBody: (w) => ({ kind: 'resumption_check', inspectedOn: '2022-03-01', title: '检查', projectIds: [w.A.projectId] }),
    serverSet: { ...common, issues: [] },
    patch: { url: (w) => `/v1/inspections/${w.A.inspectionId}`, body: { outcome: '已整改' } },
  },
  {
    name: 'webhook subscription',
    collection: '/v1/webhook-subscriptions',
    listUrl: () => '/v1/webhook-subscriptions?limit=200',
    createBody: () => ({ url: `https://${ALLOWED_HOST}/kpo`, eventTypes: ['issue.opened'] }),
    serverSet: { ...common, secret: 'whsec_chosen_by_the_caller_000000000000000000' },
  },
  {
    name: 'API key',
    collection: '/v1/api-keys',
    listUrl: () => '/v1/api-keys?limit=200&includeRevoked=true',
    createBody: () => ({ name: '对接系统', role: 'viewer' }),
    serverSet: {
      id: SOME_ID,
      secretHash: 'a'.repeat(64),
      lastFour: 'AAAA',
      createdBy: 'cli',
      createdAt: SOME_TIME,
      expiresAt: '2099-01-01T00:00:00.000Z',
      revokedAt: null,
      lastUsedAt: SOME_TIME,
      key: 'kpo_live_000000000000000000000000000000000000',
    },
  },
];

const count = async (url: string) => (json(await ctx.app.inject({ method: 'GET', url })).items as unknown[]).length;

function expectFieldRefused(problem: Json, field: string) {
  expect(problem.code).toBe('validation_failed');
  expect(JSON.stringify(problem.errors), `the errors name ${field}`).toContain(field);
}

describe('API3:2023 Broken Object Property Level Authorization', () => {
  let world: World;
  beforeEach(async () => {
    world = await buildWorld(ctx);
  });

  describe.each(resources)('$name (create)', (resource) => {
    it('refuses each server-set field on create with 400 validation_failed and creates nothing', async () => {
      const base = resource.createBody(world);
      // The body is valid without the field.
      const before = await count(resource.listUrl(world));
      for (const [field, value] of Object.entries(resource.serverSet)) {
        const response = await ctx.app.inject({ method: 'POST', url: resource.collection, payload: { ...base, [field]: value } });
        expectFieldRefused(expectProblem(response, 400, 'validation_failed'), field);
      }
      expect(await count(resource.listUrl(world))).toBe(before);
      const ok = await ctx.app.inject({ method: 'POST', url: resource.collection, payload: base });
      expect(ok.statusCode, ok.body).toBe(201);
    });
  });

  describe.each(resources.filter((r) => r.patch))('$name (update)', (resource) => {
    it('refuses each server-set field on PATCH with 400 validation_failed and leaves the record as it was', async () => {
      const patch = resource.patch!;
      const url = patch.url(world);
      const before = await read(ctx, url);
      for (const [field, value] of Object.entries({ ...resource.serverSet, ...patch.serverSet })) {
        const response = await ctx.app.inject({ method: 'PATCH', url, headers: { 'if-match': before.etag! }, payload: { ...patch.body, [field]: value } });
        expectFieldRefused(expectProblem(response, 400, 'validation_failed'), field);
      }
      expect(await read(ctx, url)).toEqual(before);
      const ok = await ctx.app.inject({ method: 'PATCH', url, headers: { 'if-match': before.etag! }, payload: patch.body });
      expect(ok.statusCode, ok.body).toBe(200);
    });
  });

  it('refuses the server-set fields of a report revision (project, period, department, revision number)', async () => {
    const url = `/v1/progress-reports/${world.A.reportId}`;
    const before = await read(ctx, url);
    for (const [field, value] of Object.entries({ projectId: world.B.projectId, period: '2022-01-H1', departmentId: world.B.departmentId, currentRevision: 9, late: false, version: 9 })) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `${url}/revisions`,
        headers: { 'if-match': before.etag! },
        payload: { ...reportFigures, correctionReason: '更正', [field]: value },
      });
      expectFieldRefused(expectProblem(response, 400, 'validation_failed'), field);
    }
    expect(await read(ctx, url)).toEqual(before);
  });

  it('refuses an issue status change through PATCH (only transitions move it), also for a department key', async () => {
    const url = `/v1/issues/${world.A.issueId}`;
    const before = await read(ctx, url);
    const response = await ctx.app.inject({
      method: 'PATCH',
      url,
      headers: { 'if-match': before.etag!, authorization: `Bearer ${world.A.departmentKey}` },
      payload: { status: 'resolved' },
    });
    expectFieldRefused(expectProblem(response, 400, 'validation_failed'), 'status');
    expect(await read(ctx, url)).toEqual(before);
  });

  it('answers only documented fields: every record a GET returns has exactly the properties of its schema in the OpenAPI document', async () => {
    const document = await openapiDocument(ctx);
    const schemas = (document.components as { schemas: Record<string, { properties?: Record<string, unknown> }> }).schemas;
    const subscription = await created(ctx, '/v1/webhook-subscriptions', { url: `https://${ALLOWED_HOST}/a`, eventTypes: ['issue.opened'] });
    const apiKey = await created(ctx, '/v1/api-keys', { name: 'x', role: 'viewer' });
    const checks: [string, string][] = [
      [`/v1/departments/${world.A.departmentId}`, 'Department'],
      [`/v1/leaders/${world.A.leaderId}`, 'Leader'],
      [`/v1/projects/${world.A.projectId}`, 'Project'],
      [`/v1/issues/${world.A.issueId}`, 'Issue'],
      [`/v1/progress-reports/${world.A.reportId}`, 'ProgressReport'],
      [`/v1/inspections/${world.A.inspectionId}`, 'Inspection'],
      [`/v1/webhook-subscriptions/${String(subscription.id)}`, 'WebhookSubscription'],
      [`/v1/api-keys/${String(apiKey.id)}`, 'ApiKey'],
    ];
    for (const [url, schema] of checks) {
      const documented = Object.keys(schemas[schema]?.properties ?? {}).sort();
      expect(documented.length, `${schema} is documented`).toBeGreaterThan(0);
      const { status, body } = await read(ctx, url);
      expect(status, url).toBe(200);
      expect(Object.keys(body as Json).sort(), url).toEqual(documented);
    }
  });

  describe('secrets never leave after creation', () => {
    it('never includes secretHash in any API-key response: create, get, list, revoke', async () => {
      const made = await ctx.app.inject({ method: 'POST', url: '/v1/api-keys', payload: { name: '对接系统', role: 'department', departmentId: world.A.departmentId } });
      expect(made.statusCode).toBe(201);
      expect(made.headers['cache-control']).toBe('no-store');
      const key = String(json(made).key);
      const id = String(json(made).id);
      const responses = [
        made,
        await ctx.app.inject({ method: 'GET', url: `/v1/api-keys/${id}` }),
        await ctx.app.inject({ method: 'GET', url: '/v1/api-keys?includeRevoked=true' }),
        await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}` }),
      ];
      for (const response of responses) {
        expect(response.statusCode).toBeLessThan(300);
        expect(response.body).not.toMatch(/secretHash|secret_hash/);
        expect(response.body).not.toContain(hashKey(key));
      }
      // Only the creation response carries the key itself.
      expect(responses.slice(1).some((r) => r.body.includes(key))).toBe(false);
    });

    it('keeps key hashes and keys out of the audit trail and the change feed, and key events away from every role but admin', async () => {
      const made = await created(ctx, '/v1/api-keys', { name: '对接系统', role: 'viewer' });
      const key = String(made.key);
      await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${String(made.id)}` });
      const viewer = await ctx.key({ role: 'viewer' });
      const hidden = await ctx.app.inject({ method: 'GET', url: `/v1/audit-events?resourceType=api_key&resourceId=${String(made.id)}`, headers: { authorization: `Bearer ${viewer}` } });
      expect(hidden.statusCode).toBe(200);
      expect(json(hidden).items).toEqual([]);
      // The admin sees the events, and they too hold neither the key nor its hash.
      const audit = await ctx.app.inject({ method: 'GET', url: `/v1/audit-events?resourceType=api_key&resourceId=${String(made.id)}` });
      expect(audit.statusCode).toBe(200);
      expect(json(audit).items.map((e: Json) => e.action).sort()).toEqual(['create', 'update']);
      // The feed shows a transaction once every older one has ended, cluster-wide: awaited.
      let changes = await ctx.app.inject({ method: 'GET', url: '/v1/changes?limit=200' });
      for (let i = 0; i < 100 && !json(changes).items.some((c: Json) => c.resourceType === 'api_key'); i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        changes = await ctx.app.inject({ method: 'GET', url: '/v1/changes?limit=200' });
      }
      expect(changes.statusCode).toBe(200);
      expect(json(changes).items.some((c: Json) => c.resourceType === 'api_key')).toBe(true);
      for (const response of [audit, changes]) {
        expect(response.body).not.toMatch(/secretHash|secret_hash/);
        expect(response.body).not.toContain(hashKey(key));
        expect(response.body).not.toContain(key);
      }
      // And the stored audit rows themselves.
      const rows = (await ctx.testDb.database.db.execute(sql`select coalesce(before::text, '') || coalesce(after::text, '') as t from audit_events where resource_type = 'api_key'`)) as unknown as { rows: { t: string }[] };
      expect(rows.rows.length).toBeGreaterThanOrEqual(2);
      for (const row of rows.rows) {
        expect(row.t).not.toContain(hashKey(key));
        expect(row.t).not.toMatch(/secretHash|secret_hash/);
      }
    });

    it('shows a webhook secret on creation only: not in GET, the list, an update, the audit trail or the change feed', async () => {
      const made = await created(ctx, '/v1/webhook-subscriptions', { url: `https://${ALLOWED_HOST}/kpo`, eventTypes: ['issue.opened'] });
      const secret = String(made.secret);
      expect(secret.length).toBeGreaterThan(20);
      const url = `/v1/webhook-subscriptions/${String(made.id)}`;
      const patched = await ctx.app.inject({ method: 'PATCH', url, headers: { 'if-match': String((await read(ctx, url)).etag) }, payload: { active: false } });
      expect(patched.statusCode).toBe(200);
      for (const response of [
        patched,
        await ctx.app.inject({ method: 'GET', url }),
        await ctx.app.inject({ method: 'GET', url: '/v1/webhook-subscriptions' }),
        await ctx.app.inject({ method: 'GET', url: `/v1/audit-events?resourceId=${String(made.id)}` }),
        await ctx.app.inject({ method: 'GET', url: '/v1/changes?limit=200' }),
      ]) {
        expect(response.statusCode).toBe(200);
        expect(response.body).not.toContain(secret);
        expect(response.body).not.toMatch(/"secret"/);
      }
    });
  });
});
