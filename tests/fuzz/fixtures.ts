import type { FastifyInstance } from 'fastify';
import type { IdPool } from './arbitraries.js';

type Json = Record<string, unknown>;

async function create(app: FastifyInstance, url: string, payload: Json): Promise<string> {
  const response = await app.inject({ method: 'POST', url, payload, headers: { 'x-actor': 'fuzz' } });
  if (response.statusCode !== 201) throw new Error(`fixture POST ${url} answered ${response.statusCode}: ${response.body}`);
  return (JSON.parse(response.body) as { id: string }).id;
}

/**
 * A small set of real records, made through the API like a caller would, so that generated path
 * parameters and reference fields hit existing ids: a department pair, a leader, a project with a
 * 2022 plan, a leader assignment, a groundbreaking batch, a progress report, an inspection, an issue,
 * a special bond, a declared figure and a viewer API key. Returns their ids by resource path segment.
 * `round` (0 to 99) makes the unique fields (codes, the declared figure's date) differ, for a run that
 * makes a fresh set again on a server whose tables it cannot empty (tests/contract/prism-proxy.ts).
 */
export async function createFixtures(app: FastifyInstance, round = 0): Promise<IdPool> {
  const tag = round === 0 ? '' : `-${round}`;
  const lead = await create(app, '/v1/departments', { code: `FZA${tag}`, name: `坦洲镇住房城乡建设和交通局${tag}`, shortName: '住建' });
  const supporting = await create(app, '/v1/departments', { code: `FZB${tag}`, name: `坦洲镇经济发展和科技信息局${tag}` });
  const leader = await create(app, '/v1/leaders', { name: '张某', title: '镇长', phone: '0760-86000001' });
  const project = await create(app, '/v1/projects', {
    code: `TZ-FUZZ-001${tag}`,
    name: '中山坦洲高端显示产业园项目',
    category: 'industrial_investment',
    estimatedInvestment: '150000.0000',
    plannedStartDate: '2022-02-16',
    plannedCompletionDate: '2024-12-31',
    departmentId: lead,
    supportingDepartmentIds: [supporting],
    statusDate: '2022-01-05',
  });
  const plan = await create(app, `/v1/projects/${project}/plans`, { year: 2022, list: 'city_key', stage: 'new_start', plannedInvestment: '20000.0000' });
  const assignment = await create(app, '/v1/leader-assignments', { leaderId: leader, projectId: project, role: 'lead', startDate: '2022-01-01' });
  const batch = await create(app, '/v1/groundbreaking-batches', { name: '2022年第一季度重点项目集体开工', ceremonyDate: '2022-02-16', status: 'planned' });
  const report = await create(app, '/v1/progress-reports', {
    projectId: project,
    period: '2022-03-H2',
    investmentCompleted: '2150.5000',
    physicalProgress: '45.50',
    workOngoing: true,
    narrative: '主体结构施工中',
  });
  const inspection = await create(app, '/v1/inspections', {
    kind: 'resumption_check',
    inspectedOn: '2022-02-10',
    title: '重点项目复工检查',
    projectIds: [project],
    leaderIds: [leader],
    departmentIds: [lead],
  });
  const issue = await create(app, '/v1/issues', {
    projectId: project,
    title: '临时用电报装',
    category: 'power',
    source: 'inspection',
    inspectionId: inspection,
    raisedOn: '2022-02-10',
    handlingMode: 'immediate',
    assignedDepartmentId: lead,
    dueDate: '2022-02-15',
  });
  const bond = await create(app, '/v1/special-bonds', { projectId: project, bondBatch: '2022年第一批', appliedOn: '2021-11-15', amountRequested: '12000.0000' });
  const figure = await create(app, '/v1/metrics/declared-figures', {
    list: 'city_key',
    year: 2022,
    figure: 'estimated_investment',
    value: '757000',
    source: '坦洲镇重点项目建设报道（2022年）',
    asOf: new Date(Date.UTC(2022, 2, 31) - round * 86_400_000).toISOString().slice(0, 10),
  });
  // Another key than the one the requests are sent with, so that revoking it (DELETE /v1/api-keys/{id}) is fair game.
  const apiKey = await create(app, '/v1/api-keys', { name: 'fuzz viewer', role: 'viewer', readOnly: true, expiresInDays: 30 });
  const audit = await app.inject({ method: 'GET', url: '/v1/audit-events?limit=20' });
  const auditIds = (JSON.parse(audit.body) as { items: { id: number }[] }).items.map((e) => String(e.id));
  return {
    departments: [lead, supporting],
    leaders: [leader],
    projects: [project],
    plans: [plan],
    'leader-assignments': [assignment],
    'groundbreaking-batches': [batch],
    'progress-reports': [report],
    inspections: [inspection],
    issues: [issue],
    'special-bonds': [bond],
    'declared-figures': [figure],
    'audit-events': auditIds,
    'api-keys': [apiKey],
  };
}
