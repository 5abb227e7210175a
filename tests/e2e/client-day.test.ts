import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKpoClient, header, type EtagOperation, type KpoClient, type Problem, type ResponseHeaders, type Schemas } from '../../clients/typescript/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { freePort } from '../support/pg-cluster.js';
import { adminKeyFor, startServer, waitUntilReady, type ServerProcess } from '../support/server-process.js';

// Issue #8: a frontend builds only from openapi/openapi.json. This test drives a working day of the
// key-project office through the generated client (clients/typescript) against the real server
// process, nothing else. Every path, parameter, body and response below is typed by
// clients/typescript/schema.ts, generated from the document: when the document and the client
// disagree, this file stops compiling (tsc --noEmit fails), before any request is sent.

let testDb: TestDatabase;
let dataDir: string;
let server: ServerProcess;
let baseUrl: string;
let kpo: KpoClient;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'kpo-e2e-'));
  server = startServer(await freePort(), { LOG_LEVEL: 'warn', ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: dataDir }) });
  await waitUntilReady(server, 150_000);
  baseUrl = server.baseUrl;
  // The office's system holds an API key (PostgreSQL: made beforehand; embedded: the first-start one).
  const key = await adminKeyFor(server, testDb.url);
  kpo = createKpoClient({ baseUrl, headers: { 'x-request-id': 'e2e-client-day', Authorization: `Bearer ${key}` } });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await testDb?.close();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/** The body of a success, or the test fails showing the problem+json the server sent. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`HTTP ${result.response.status}: ${JSON.stringify(result.error)}`);
  return result.data;
}

describe('a day at the key-project office through the typed client', () => {
  it('is refused with a 401 problem without an API key', async () => {
    const anonymous = createKpoClient({ baseUrl });
    const refused = await anonymous.GET('/v1/departments', {});
    expect(refused.response.status).toBe(401);
    expect((refused.error as Problem | undefined)?.code).toBe('authentication_required');
  });

  it('records a project from department to resolved issue, and the summary figures count it', { timeout: 180_000 }, async () => {
    const department = ok(await kpo.POST('/v1/departments', { body: { code: 'JMJ', name: '坦洲镇经济发展和科技统计局', shortName: '经发局' } }));
    const leader = ok(await kpo.POST('/v1/leaders', { body: { name: '张某', title: '镇长' } }));

    const project = ok(
      await kpo.POST('/v1/projects', {
        body: {
          code: 'TZ2022-E2E',
          name: '中山坦洲高端显示产业园项目',
          category: 'industrial_investment',
          estimatedInvestment: '150000',
          plannedStartDate: '2022-02-16',
          departmentId: department.id,
          statusDate: '2022-01-05',
        },
      }),
    );
    ok(
      await kpo.POST('/v1/projects/{id}/plans', {
        params: { path: { id: project.id } },
        body: { year: 2022, list: 'city_key', stage: 'new_start', plannedInvestment: '30000' },
      }),
    );
    ok(
      await kpo.POST('/v1/leader-assignments', {
        body: { leaderId: leader.id, projectId: project.id, role: 'lead', startDate: '2022-01-01' },
      }),
    );

    // Approved, then broken ground at the 16 February ceremony; each change sends the ETag it read.
    let etag = etagOf(await kpo.GET('/v1/projects/{id}', { params: { path: { id: project.id } } }));
    for (const [toStatus, effectiveDate] of [
      ['approved', '2022-01-20'],
      ['under_construction', '2022-02-16'],
    ] as const) {
      const moved = await kpo.POST('/v1/projects/{id}/transitions', {
        params: { path: { id: project.id }, header: { 'if-match': etag } },
        body: { toStatus, effectiveDate },
      });
      ok(moved);
      etag = moved.response.headers.get('etag') ?? '';
    }

    for (const [period, investmentCompleted, physicalProgress] of [
      ['2022-03-H1', '1200', '5.00'],
      ['2022-03-H2', '1800', '9.50'],
    ] as const) {
      ok(
        await kpo.POST('/v1/progress-reports', {
          body: { projectId: project.id, period, investmentCompleted, physicalProgress, workOngoing: true, narrative: '桩基施工' },
        }),
      );
    }
    // Lists come a page at a time: follow nextCursor until it is null.
    const periods: string[] = [];
    let cursor: string | undefined;
    do {
      const page = ok(await kpo.GET('/v1/progress-reports', { params: { query: { projectId: project.id, limit: 1, cursor } } }));
      periods.push(...page.items.map((r) => r.period));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(periods.sort()).toEqual(['2022-03-H1', '2022-03-H2']);

    const inspection = ok(
      await kpo.POST('/v1/inspections', {
        body: {
          kind: 'supervision',
          inspectedOn: '2022-03-10',
          title: '重点项目督查',
          findings: '临时用电尚未报装',
          projectIds: [project.id],
          leaderIds: [leader.id],
        },
      }),
    );
    const issue = ok(
      await kpo.POST('/v1/issues', {
        body: {
          projectId: project.id,
          title: '临时用电报装',
          category: 'power',
          source: 'inspection',
          inspectionId: inspection.id,
          raisedOn: '2022-03-10',
          handlingMode: 'immediate',
          assignedDepartmentId: department.id,
          dueDate: '2022-03-20',
        },
      }),
    );

    // Without If-Match the server refuses with a problem the client hands back as `error`.
    // If-Match is required by the contract (its absence is a 428): the typed client refuses the call
    // at compile time, so this deliberate mistake needs the @ts-expect-error (tsc fails if it ever compiles).
    const refused = await kpo.POST('/v1/issues/{id}/transitions', {
      // @ts-expect-error -- header (If-Match) is required
      params: { path: { id: issue.id } },
      body: { toStatus: 'resolved', resolution: '已送电', resolvedOn: '2022-03-15' },
    });
    expect(refused.response.status).toBe(428);
    expect((refused.error as Problem | undefined)?.code).toBe('precondition_required');

    const issueEtag = etagOf(await kpo.GET('/v1/issues/{id}', { params: { path: { id: issue.id } } }));
    const resolved = ok(
      await kpo.POST('/v1/issues/{id}/transitions', {
        params: { path: { id: issue.id }, header: { 'if-match': issueEtag } },
        body: { toStatus: 'resolved', resolution: '供电部门马上办，已完成临时用电报装并送电', resolvedOn: '2022-03-15' },
      }),
    );
    expect(resolved.status).toBe('resolved');
    const seen = ok(await kpo.GET('/v1/inspections/{id}', { params: { path: { id: inspection.id } } }));
    expect(seen.issues.map((i) => i.id)).toEqual([issue.id]);

    const summary = ok(
      await kpo.GET('/v1/metrics/summary', { params: { query: { year: 2022, asOf: '2022-03-31', list: 'city_key' } } }),
    );
    const { figures } = summary;
    expect(figures.projectCount.value).toBe(1);
    expect(figures.projectCount.projectIds).toEqual([project.id]);
    expect(figures.estimatedInvestment.value).toBe('150000.0000');
    expect(figures.plannedInvestment.value).toBe('30000.0000');
    expect(figures.largeProjectCount.value).toBe(1);
    expect(figures.investmentCompleted.value).toBe('3000.0000');
    expect(figures.planCompletionRate).toMatchObject({ value: 0.1 });
    expect(figures.startedCount.value).toBe(1);
    expect(figures.startRate).toMatchObject({ value: 1, numerator: 1, denominator: 1 });
    expect(summary.byStage.new_start.projectCount.value).toBe(1);
    expect(summary.byStage.continuing.projectCount.value).toBe(0);

    const issues = ok(await kpo.GET('/v1/metrics/issues', { params: { query: { from: '2022-03-01', to: '2022-03-31' } } }));
    expect(issues.totals).toMatchObject({ opened: 1, resolved: 1, open: 0, overdue: 0, medianDaysToResolve: 5 });
  });
});

/** The ETag of a successful GET, for the If-Match of the next change. */
function etagOf(result: { data?: unknown; error?: unknown; response: Response }): string {
  ok(result);
  return header(result, 'etag');
}

// Compile-time checks of the contract's response headers (tsc --noEmit fails when one is undeclared).
type Is<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Within<A, B> = [A] extends [B] ? true : false;
const contractHeaders: [
  Is<ResponseHeaders<'getProject', 200>['ETag'], string>,
  Is<ResponseHeaders<'createProject', 201>['Location'], string>,
  Is<ResponseHeaders<'getProject', 200>['X-Request-Id'], string>,
  Within<'getProject' | 'updateIssue' | 'createDepartment', EtagOperation>,
  Is<Extract<'listProjects', EtagOperation>, never>,
] = [true, true, true, true, true];
void contractHeaders;

// MetricFigure is typed by kind: money a decimal string, counts integers (number), rates a number or
// null with exact parts; `kind` tells a generic figure apart (tsc fails if any becomes a loose union).
type Figures = Schemas['MetricGroupFigures'];
const figureTypes: [
  Is<Figures['estimatedInvestment']['value'], string>,
  Is<Figures['estimatedInvestment']['kind'], 'money'>,
  Is<Figures['projectCount']['value'], number>,
  Is<Figures['projectCount']['kind'], 'count'>,
  Is<Figures['planCompletionRate']['value'], number | null>,
  Is<Figures['planCompletionRate']['numerator'], string>,
  Is<Figures['startRate']['numerator'], number>,
  Is<Figures['startRate']['kind'], 'count_rate'>,
  Is<Schemas['MetricStageFigures']['plannedInvestment']['value'], string>,
] = [true, true, true, true, true, true, true, true, true];
void figureTypes;
