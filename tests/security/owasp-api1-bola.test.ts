import type { InjectOptions } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import { json, useTestApp, type TestContext } from '../support/app.js';
import { bearer } from '../support/keys.js';
import {
  buildWorld,
  created,
  etagOf,
  expectProblem,
  openapiDocument,
  operations,
  read,
  reportFigures,
  type Side,
  type World,
} from './owasp-fixtures.js';

/**
 * API1:2023 Broken Object Level Authorization. Reads are open to every role (the records of the
 * key-project office are not secret between departments), so object-level checks concern writes:
 * a department key writes only for projects its department is responsible for (issues also when
 * assigned to it), a leader key only for projects its leader is assigned to today.
 *
 * Every write operation whose x-required-roles admit 'department' or 'leader' must have a case
 * below (the first test fails otherwise): side B's key writing side A's record is a 403
 * forbidden_scope that changes nothing; side A's key doing the same to its own record succeeds.
 */
const ctx = useTestApp();

type Scoped = 'department' | 'leader';

interface Case {
  /** The same request for either side's records; `key` is sent as the Bearer key. */
  request(owner: Side, world: World): Promise<InjectOptions>;
  /** What the request would change, read as admin (compared before and after a refused attempt). */
  state(owner: Side): Promise<unknown>;
  /** Status of the allowed request. */
  success: number;
}

const listIds = async (c: TestContext, url: string) => (json(await c.app.inject({ method: 'GET', url })).items as { id: string }[]).map((i) => i.id);

const recordState = (url: (s: Side) => string) => async (owner: Side) => {
  const { status, etag, body } = await read(ctx, url(owner));
  return { status, etag, body };
};

const cases: Record<string, Partial<Record<Scoped, Case>>> = {};

const createReport: Case = {
  request: async (owner) => ({ method: 'POST', url: '/v1/progress-reports', payload: { projectId: owner.projectId, period: '2022-04-H1', ...reportFigures } }),
  state: async (owner) => listIds(ctx, `/v1/progress-reports?projectId=${owner.projectId}`),
  success: 201,
};
cases.createProgressReport = { department: createReport };

const reviseReport: Case = {
  request: async (owner) => ({
    method: 'POST',
    url: `/v1/progress-reports/${owner.reportId}/revisions`,
    headers: { 'if-match': await etagOf(ctx, `/v1/progress-reports/${owner.reportId}`) },
    payload: { ...reportFigures, investmentCompleted: '9999.0000', correctionReason: '更正' },
  }),
  state: async (owner) => ({
    report: await recordState((s) => `/v1/progress-reports/${s.reportId}`)(owner),
    revisions: json(await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports/${owner.reportId}/revisions` })),
  }),
  success: 201,
};
cases.reviseProgressReport = { department: reviseReport };

const createInspection: Case = {
  request: async (owner) => ({
    method: 'POST',
    url: '/v1/inspections',
    payload: { kind: 'resumption_check', inspectedOn: '2022-03-01', title: '再次检查', projectIds: [owner.projectId] },
  }),
  state: async (owner) => listIds(ctx, `/v1/inspections?projectId=${owner.projectId}`),
  success: 201,
};
cases.createInspection = { department: createInspection, leader: createInspection };

const updateInspection: Case = {
  request: async (owner) => ({
    method: 'PATCH',
    url: `/v1/inspections/${owner.inspectionId}`,
    headers: { 'if-match': await etagOf(ctx, `/v1/inspections/${owner.inspectionId}`) },
    payload: { outcome: '已整改' },
  }),
  state: recordState((s) => `/v1/inspections/${s.inspectionId}`),
  success: 200,
};
cases.updateInspection = { department: updateInspection, leader: updateInspection };

const createIssue: Case = {
  request: async (owner) => ({
    method: 'POST',
    url: '/v1/issues',
    payload: {
      projectId: owner.projectId,
      title: '用地报批',
      category: 'land',
      source: 'other',
      raisedOn: '2022-03-01',
      handlingMode: 'immediate',
      assignedDepartmentId: owner.departmentId,
    },
  }),
  state: async (owner) => listIds(ctx, `/v1/issues?projectId=${owner.projectId}`),
  success: 201,
};
cases.createIssue = { department: createIssue };

const updateIssue: Case = {
  request: async (owner) => ({
    method: 'PATCH',
    url: `/v1/issues/${owner.issueId}`,
    headers: { 'if-match': await etagOf(ctx, `/v1/issues/${owner.issueId}`) },
    payload: { assigneeName: '供电所 李工' },
  }),
  state: recordState((s) => `/v1/issues/${s.issueId}`),
  success: 200,
};
cases.updateIssue = { department: updateIssue };

const transitionIssue: Case = {
  request: async (owner) => ({
    method: 'POST',
    url: `/v1/issues/${owner.issueId}/transitions`,
    headers: { 'if-match': await etagOf(ctx, `/v1/issues/${owner.issueId}`) },
    payload: { toStatus: 'in_progress' },
  }),
  state: recordState((s) => `/v1/issues/${s.issueId}`),
  success: 200,
};
cases.transitionIssue = { department: transitionIssue };

const createMilestone: Case = {
  request: async (owner) => ({ method: 'POST', url: `/v1/projects/${owner.projectId}/milestones`, payload: { kind: 'main_structure', plannedDate: '2022-09-30' } }),
  state: async (owner) => listIds(ctx, `/v1/projects/${owner.projectId}/milestones`),
  success: 201,
};
cases.createProjectMilestone = { department: createMilestone };

const updateMilestone: Case = {
  request: async (owner) => ({
    method: 'PATCH',
    url: `/v1/milestones/${owner.milestoneId}`,
    headers: { 'if-match': await etagOf(ctx, `/v1/milestones/${owner.milestoneId}`) },
    payload: { actualDate: '2022-02-16', evidence: '开工报告' },
  }),
  state: recordState((s) => `/v1/milestones/${s.milestoneId}`),
  success: 200,
};
cases.updateMilestone = { department: updateMilestone };

const deleteMilestone: Case = {
  request: async (owner) => ({
    method: 'DELETE',
    url: `/v1/milestones/${owner.milestoneId}`,
    headers: { 'if-match': await etagOf(ctx, `/v1/milestones/${owner.milestoneId}`) },
  }),
  state: recordState((s) => `/v1/milestones/${s.milestoneId}`),
  success: 204,
};
cases.deleteMilestone = { department: deleteMilestone };

const createComment: Case = {
  request: async (owner) => ({ method: 'POST', url: `/v1/projects/${owner.projectId}/comments`, payload: { body: '请责任部门现场办公，下周例会报告进展。' } }),
  state: async (owner) => listIds(ctx, `/v1/projects/${owner.projectId}/comments`),
  success: 201,
};
cases.createProjectComment = { leader: createComment };

const createSupervisionOrder: Case = {
  request: async (owner) => ({
    method: 'POST',
    url: '/v1/supervision-orders',
    payload: { projectId: owner.projectId, title: '开工督办', requirement: '请报送开工方案', issuedOn: '2022-03-01', replyDueDate: '2022-03-10' },
  }),
  state: async (owner) => listIds(ctx, `/v1/supervision-orders?projectId=${owner.projectId}`),
  success: 201,
};
cases.createSupervisionOrder = { leader: createSupervisionOrder };

/** An order of the owner's leader to the owner's department, made by the admin once per world (keyed by its project). */
const ordersOf = new Map<string, Promise<string>>();
function orderOf(owner: Side): Promise<string> {
  if (!ordersOf.has(owner.projectId)) {
    ordersOf.set(
      owner.projectId,
      created(ctx, '/v1/supervision-orders', {
        projectId: owner.projectId, issuerLeaderId: owner.leaderId, title: '用电督办', requirement: '请报送整改方案', issuedOn: '2022-03-01', replyDueDate: '2022-03-10',
      }).then((o) => String(o.id)),
    );
  }
  return ordersOf.get(owner.projectId)!;
}

const supervisionStep = (payload: object): Case => ({
  request: async (owner) => {
    const url = `/v1/supervision-orders/${await orderOf(owner)}`;
    return { method: 'POST', url: `${url}/transitions`, headers: { 'if-match': await etagOf(ctx, url) }, payload };
  },
  state: async (owner) => read(ctx, `/v1/supervision-orders/${await orderOf(owner)}`),
  success: 200,
});
// The department replies; the leader who issued the order decides (here: withdraws it).
cases.transitionSupervisionOrder = {
  department: supervisionStep({ action: 'reply_plan', on: '2022-03-05', note: '3月15日前完成' }),
  leader: supervisionStep({ action: 'withdraw', on: '2022-03-05' }),
};

/**
 * Before and after (issue #16): a change that can move a record to other projects — a PATCH whose body
 * names projectId or projectIds — is judged on the record's projects before it and after it. Side B's
 * key takes its own record over to side A's project: refused, nothing changed. Every such operation
 * open to department or leader keys needs an entry here (the second test fails otherwise).
 */
const moves: Record<string, (world: World) => Promise<{ url: string; payload: object; key: string }>> = {
  updateIssue: async (world) => ({ url: `/v1/issues/${world.B.issueId}`, payload: { projectId: world.A.projectId, inspectionId: null }, key: world.B.departmentKey }),
  updateInspection: async (world) => ({ url: `/v1/inspections/${world.B.inspectionId}`, payload: { projectIds: [world.B.projectId, world.A.projectId] }, key: world.B.departmentKey }),
};

/** Whether an operation's request body can name the projects a record belongs to. */
function bodyNamesProjects(document: { components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> } }, operation: Record<string, unknown>): boolean {
  const content = (operation.requestBody as { content?: Record<string, { schema?: { $ref?: string; properties?: Record<string, unknown> } }> } | undefined)?.content;
  const schema = content?.['application/json']?.schema;
  const resolved = schema?.$ref ? document.components?.schemas?.[schema.$ref.split('/').pop()!] : schema;
  return Boolean(resolved?.properties && ('projectId' in resolved.properties || 'projectIds' in resolved.properties));
}

const keyOf = (side: Side, role: Scoped) => (role === 'department' ? side.departmentKey : side.leaderKey);

async function send(options: InjectOptions, key: string) {
  return ctx.app.inject({ ...options, headers: { ...(options.headers ?? {}), ...bearer(key) } });
}

describe('API1:2023 Broken Object Level Authorization', () => {
  it('has a cross-department case for every write operation the OpenAPI document opens to department or leader keys', async () => {
    const ops = await operations(ctx);
    const missing: string[] = [];
    const scoped: string[] = [];
    for (const op of ops) {
      if (op.method === 'GET' || op.method === 'HEAD') continue;
      for (const role of ['department', 'leader'] as const) {
        if (!op.roles?.includes(role)) continue;
        scoped.push(`${op.operationId}:${role}`);
        if (!cases[op.operationId]?.[role]) missing.push(`${op.method} ${op.path} (${op.operationId}) for ${role} keys`);
      }
    }
    expect(missing, 'write operations open to department/leader keys without a BOLA case in this file').toEqual([]);
    // And no case is stale: every mapped operation still admits that role.
    const stale = Object.entries(cases).flatMap(([id, byRole]) => Object.keys(byRole).map((r) => `${id}:${r}`)).filter((c) => !scoped.includes(c));
    expect(stale, 'cases for operations that no longer admit that role').toEqual([]);
  });

  it('has a before-and-after case for every change open to department or leader keys that can move a record to other projects', async () => {
    const document = await openapiDocument(ctx);
    const movable: string[] = [];
    for (const item of Object.values(document.paths)) {
      const patch = item.patch as Record<string, unknown> | undefined;
      const roles = patch?.['x-required-roles'] as string[] | undefined;
      if (patch && roles?.some((r) => r === 'department' || r === 'leader') && bodyNamesProjects(document as never, patch)) movable.push(String(patch.operationId));
    }
    expect(movable.length).toBeGreaterThan(0);
    expect(movable.filter((id) => !moves[id]), 'changes that can move a record without a before-and-after case').toEqual([]);
    expect(Object.keys(moves).filter((id) => !movable.includes(id)), 'stale before-and-after cases').toEqual([]);
  });

  describe.each(Object.entries(moves))('%s moving a record of the key’s own to the other side’s project', (_operationId, move) => {
    it('is refused with 403 forbidden_scope and changes nothing', async () => {
      const world = await buildWorld(ctx);
      const { url, payload, key } = await move(world);
      const before = await read(ctx, url);
      const response = await send({ method: 'PATCH', url, headers: { 'if-match': before.etag! }, payload }, key);
      expectProblem(response, 403, 'forbidden_scope');
      expect(await read(ctx, url)).toEqual(before);
    });
  });

  const all = Object.entries(cases).flatMap(([operationId, byRole]) => Object.entries(byRole).map(([role, c]) => ({ operationId, role: role as Scoped, c: c! })));

  describe.each(all)('$operationId with a $role key', ({ role, c }) => {
    let world: World;
    beforeEach(async () => {
      world = await buildWorld(ctx);
    });

    it("is refused with 403 forbidden_scope on the other side's record, which stays as it was", async () => {
      const before = await c.state(world.A);
      const response = await send(await c.request(world.A, world), keyOf(world.B, role));
      const problem = expectProblem(response, 403, 'forbidden_scope');
      expect(problem.role).toBe(role);
      expect(await c.state(world.A)).toEqual(before);
    });

    it('succeeds on its own side\'s record', async () => {
      const response = await send(await c.request(world.A, world), keyOf(world.A, role));
      expect(response.statusCode, response.body).toBe(c.success);
    });
  });

  describe('records that would move across departments', () => {
    let world: World;
    beforeEach(async () => {
      world = await buildWorld(ctx);
    });

    it('refuses an inspection covering its own and another department\'s project, even though one is its own', async () => {
      const payload = { kind: 'resumption_check', inspectedOn: '2022-03-01', title: '联合检查', projectIds: [world.B.projectId, world.A.projectId] };
      expectProblem(await send({ method: 'POST', url: '/v1/inspections', payload }, world.B.departmentKey), 403, 'forbidden_scope');
      expectProblem(await send({ method: 'POST', url: '/v1/inspections', payload }, world.B.leaderKey), 403, 'forbidden_scope');
    });

    it("refuses a department key filing a report or an issue for another department's project (body projectId)", async () => {
      const report = await send({ method: 'POST', url: '/v1/progress-reports', payload: { projectId: world.A.projectId, period: '2022-05-H1', ...reportFigures } }, world.B.departmentKey);
      expectProblem(report, 403, 'forbidden_scope');
      const issue = await send(
        {
          method: 'POST',
          url: '/v1/issues',
          payload: { projectId: world.A.projectId, title: '冒名问题', category: 'power', source: 'other', raisedOn: '2022-03-01', handlingMode: 'immediate', assignedDepartmentId: world.B.departmentId },
        },
        world.B.departmentKey,
      );
      expectProblem(issue, 403, 'forbidden_scope');
    });
  });

  describe('the documented exceptions and edges', () => {
    let world: World;
    beforeEach(async () => {
      world = await buildWorld(ctx);
    });

    it("lets the department an issue of another department's project is assigned to (承办部门) change and move it along", async () => {
      const issue = await created(ctx, '/v1/issues', {
        projectId: world.A.projectId,
        title: '道路开口审批',
        category: 'other',
        source: 'other',
        raisedOn: '2022-03-01',
        handlingMode: 'immediate',
        assignedDepartmentId: world.B.departmentId,
      });
      const url = `/v1/issues/${String(issue.id)}`;
      const patched = await send({ method: 'PATCH', url, headers: { 'if-match': await etagOf(ctx, url) }, payload: { assigneeName: 'B局 王工' } }, world.B.departmentKey);
      expect(patched.statusCode, patched.body).toBe(200);
      const moved = await send({ method: 'POST', url: `${url}/transitions`, headers: { 'if-match': String(patched.headers.etag) }, payload: { toStatus: 'in_progress' } }, world.B.departmentKey);
      expect(moved.statusCode, moved.body).toBe(200);
      // The department responsible for the project may as well.
      const byOwner = await send({ method: 'PATCH', url, headers: { 'if-match': String(moved.headers.etag) }, payload: { assigneeName: 'A局 张工' } }, world.A.departmentKey);
      expect(byOwner.statusCode, byOwner.body).toBe(200);
    });

    it('lets the assigned department PATCH an issue restating its unchanged projectId', async () => {
      const issue = await created(ctx, '/v1/issues', {
        projectId: world.A.projectId,
        title: '管线迁改',
        category: 'other',
        source: 'other',
        raisedOn: '2022-03-01',
        handlingMode: 'immediate',
        assignedDepartmentId: world.B.departmentId,
      });
      const url = `/v1/issues/${String(issue.id)}`;
      const response = await send(
        { method: 'PATCH', url, headers: { 'if-match': await etagOf(ctx, url) }, payload: { projectId: world.A.projectId, assigneeName: 'B局 王工' } },
        world.B.departmentKey,
      );
      expect(response.statusCode, response.body).toBe(200);
    });

    it('refuses a leader key whose assignment to the project has ended, except for a visit on a day it was assigned (issue #16)', async () => {
      const leader = await created(ctx, '/v1/leaders', { name: '卸任领导', title: '原副镇长' });
      await created(ctx, '/v1/leader-assignments', { leaderId: leader.id, projectId: world.A.projectId, role: 'lead', startDate: '2022-01-01', endDate: '2022-02-20' });
      const key = await ctx.key({ role: 'leader', leaderId: String(leader.id) });
      // A comment is written today, when the leader no longer watches the project.
      const response = await send(await createComment.request(world.A, world), key);
      expectProblem(response, 403, 'forbidden_scope');
      // The case's inspection is dated 1 March, after the assignment ended.
      const inspection = await send(await createInspection.request(world.A, world), key);
      expectProblem(inspection, 403, 'forbidden_scope');
      const during = await send({ method: 'POST', url: '/v1/inspections', payload: { kind: 'leader_visit', inspectedOn: '2022-02-15', title: '走访', projectIds: [world.A.projectId] } }, key);
      expect(during.statusCode, during.body).toBe(201);
    });

    it('refuses a leader key on a project no leader is assigned to', async () => {
      const project = await created(ctx, '/v1/projects', {
        code: 'TZ-OWASP-C',
        name: '无挂点项目',
        category: 'industrial_investment',
        estimatedInvestment: '1000.0000',
        departmentId: world.A.departmentId,
        statusDate: '2022-01-05',
      });
      const response = await send({ method: 'POST', url: `/v1/projects/${String(project.id)}/comments`, payload: { body: '请加快进度' } }, world.A.leaderKey);
      expectProblem(response, 403, 'forbidden_scope');
    });

    it('answers 404, not 403 or 2xx, for a write on a record that does not exist', async () => {
      const url = '/v1/issues/0190c0de-0000-7000-8000-00000000beef';
      const response = await send({ method: 'PATCH', url, headers: { 'if-match': '"v1"' }, payload: { assigneeName: 'x' } }, world.B.departmentKey);
      expect(response.statusCode).toBe(404);
    });

    it('lets department and leader keys read the other side\'s records (reads are open to every role)', async () => {
      for (const key of [world.B.departmentKey, world.B.leaderKey]) {
        for (const url of [`/v1/issues/${world.A.issueId}`, `/v1/progress-reports/${world.A.reportId}`, `/v1/inspections/${world.A.inspectionId}`, `/v1/projects/${world.A.projectId}`]) {
          expect((await ctx.app.inject({ method: 'GET', url, headers: bearer(key) })).statusCode, url).toBe(200);
        }
      }
    });
  });
});
