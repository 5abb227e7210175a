import { Writable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { expect } from 'vitest';
import { json, type TestContext } from '../support/app.js';
import { bearer } from '../support/keys.js';
import type { Role } from '../../src/lib/principal.js';

/**
 * Shared pieces of the OWASP API Security Top 10 (2023) suites (tests/security/owasp-*.test.ts):
 * the OpenAPI document as the app serves it, a two-department world built through the API, problem
 * assertions and a log sink.
 */

export type Json = Record<string, unknown>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface Operation {
  method: string; // upper case
  /** OpenAPI path, e.g. /v1/issues/{id} */
  path: string;
  operationId: string;
  /** x-required-roles; undefined on public operations. */
  roles: Role[] | undefined;
  security: unknown[] | undefined;
  responses: Record<string, unknown>;
}

/** The OpenAPI document the running app serves at /openapi.json (no key needed). */
export async function openapiDocument(ctx: TestContext): Promise<{ paths: Record<string, Record<string, Json>> } & Json> {
  const response = await ctx.anonymous({ method: 'GET', url: '/openapi.json' });
  expect(response.statusCode).toBe(200);
  return json(response);
}

/** Every operation of the served document. */
export async function operations(ctx: TestContext): Promise<Operation[]> {
  const document = await openapiDocument(ctx);
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      out.push({
        method: method.toUpperCase(),
        path,
        operationId: String(op.operationId),
        roles: op['x-required-roles'] as Role[] | undefined,
        security: op.security as unknown[] | undefined,
        responses: (op.responses ?? {}) as Record<string, unknown>,
      });
    }
  }
  return out;
}

/** A URL for an OpenAPI path: every {param} gets a well-formed value that names no record. */
export function concreteUrl(path: string, values: Record<string, string> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (values[name] !== undefined) return values[name]!;
    if (name === 'revision') return '1';
    if (name === 'key') return 'no_such_rule';
    return '0190c0de-0000-7000-8000-00000000beef';
  });
}

/** Asserts an RFC 9457 problem with this status and code; returns its body. */
export function expectProblem(response: LightMyRequestResponse, status: number, code: string): Json {
  const body = response.body;
  expect(response.statusCode, `${status} ${code} expected, got ${response.statusCode}: ${body.slice(0, 300)}`).toBe(status);
  expect(String(response.headers['content-type'])).toContain('application/problem+json');
  const problem = json(response) as Json;
  expect(problem).toMatchObject({ status, code, type: `urn:kpo:problem:${code}` });
  return problem;
}

/** Log lines the app writes, parsed (pino JSON), for tests that read the log as an operator would. */
export function logSink(level = 'info') {
  const lines: Json[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Json);
      }
      done();
    },
  });
  return { logger: pino({ level }, stream), lines, raw };
}

export async function created(ctx: TestContext, url: string, payload: Json, key?: string): Promise<Json> {
  const response = await ctx.app.inject({ method: 'POST', url, payload, ...(key ? { headers: bearer(key) } : {}) });
  if (response.statusCode !== 201) throw new Error(`fixture POST ${url} answered ${response.statusCode}: ${response.body}`);
  return json(response) as Json;
}

export const reportFigures = { investmentCompleted: '2150.5000', physicalProgress: '45.50', workOngoing: true, narrative: '主体结构施工中' };

/** One side of the world: a department with its project and its records, a leader assigned to that project today, and keys. */
export interface Side {
  departmentId: string;
  projectId: string;
  leaderId: string;
  assignmentId: string;
  reportId: string;
  inspectionId: string;
  issueId: string;
  milestoneId: string;
  departmentKey: string;
  leaderKey: string;
}

export interface World {
  A: Side;
  B: Side;
}

/**
 * Two departments A and B, each responsible for one project with a progress report, an inspection,
 * an issue (assigned to that department) and a milestone, and a leader assigned to that project from 2022 on;
 * a department key and a leader key for each side. Everything but the keys is made by the admin through the API.
 */
export async function buildWorld(ctx: TestContext): Promise<World> {
  async function side(tag: 'A' | 'B'): Promise<Side> {
    const department = await created(ctx, '/v1/departments', { code: `OW${tag}`, name: `坦洲镇${tag}局`, shortName: `${tag}局` });
    const leader = await created(ctx, '/v1/leaders', { name: `${tag}镇长`, title: '副镇长' });
    const project = await created(ctx, '/v1/projects', {
      code: `TZ-OWASP-${tag}`,
      name: `坦洲${tag}项目`,
      category: 'industrial_investment',
      estimatedInvestment: '150000.0000',
      plannedStartDate: '2022-02-16',
      plannedCompletionDate: '2024-12-31',
      departmentId: department.id,
      statusDate: '2022-01-05',
    });
    const assignment = await created(ctx, '/v1/leader-assignments', { leaderId: leader.id, projectId: project.id, role: 'lead', startDate: '2022-01-01' });
    const report = await created(ctx, '/v1/progress-reports', { projectId: project.id, period: '2022-03-H2', ...reportFigures });
    const inspection = await created(ctx, '/v1/inspections', {
      kind: 'resumption_check',
      inspectedOn: '2022-02-10',
      title: `${tag} 复工检查`,
      projectIds: [project.id],
      leaderIds: [leader.id],
      departmentIds: [department.id],
    });
    const issue = await created(ctx, '/v1/issues', {
      projectId: project.id,
      title: `${tag} 临时用电报装`,
      category: 'power',
      source: 'inspection',
      inspectionId: inspection.id,
      raisedOn: '2022-02-10',
      handlingMode: 'immediate',
      assignedDepartmentId: department.id,
      dueDate: '2022-02-15',
    });
    const milestone = await created(ctx, `/v1/projects/${String(project.id)}/milestones`, { kind: 'start', plannedDate: '2022-02-16' });
    return {
      departmentId: String(department.id),
      projectId: String(project.id),
      leaderId: String(leader.id),
      assignmentId: String(assignment.id),
      reportId: String(report.id),
      inspectionId: String(inspection.id),
      issueId: String(issue.id),
      milestoneId: String(milestone.id),
      departmentKey: await ctx.key({ role: 'department', departmentId: String(department.id), name: `dept ${tag}` }),
      leaderKey: await ctx.key({ role: 'leader', leaderId: String(leader.id), name: `leader ${tag}` }),
    };
  }
  return { A: await side('A'), B: await side('B') };
}

/** GET as admin; the body and ETag of a record (to compare before and after a refused write). */
export async function read(ctx: TestContext, url: string): Promise<{ status: number; etag: string | undefined; body: unknown }> {
  const response = await ctx.app.inject({ method: 'GET', url });
  return { status: response.statusCode, etag: response.headers.etag as string | undefined, body: json(response) };
}

export async function etagOf(ctx: TestContext, url: string): Promise<string> {
  const { status, etag } = await read(ctx, url);
  if (status !== 200 || !etag) throw new Error(`no ETag for ${url} (${status})`);
  return etag;
}

export function withKey(options: InjectOptions, key: string): InjectOptions {
  return { ...options, headers: { ...(options.headers ?? {}), ...bearer(key) } };
}
