import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();

const ZH_HEADER = '项目编号,项目名称,项目单位,项目类别,所属行业,建设地点,估算总投资（万元）,计划开工日期,计划竣工日期,责任部门,年度,名单,阶段,年度计划投资（万元）';
const EN_HEADER = 'code,name,ownerUnit,category,industry,location,estimatedInvestment,plannedStartDate,plannedCompletionDate,department,year,list,stage,plannedInvestment';

async function createDepartments() {
  for (const body of [
    { code: 'GXJ', name: '坦洲镇工业和信息化局', shortName: '工信' },
    { code: 'ZJJ', name: '坦洲镇住房城乡建设和交通局', shortName: '住建' },
  ]) {
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: body });
    expect(response.statusCode).toBe(201);
  }
}

function importCsv(csv: string, query = '') {
  return ctx.app.inject({
    method: 'POST',
    url: `/v1/imports/projects${query}`,
    payload: csv,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'x-actor': 'importer' },
  });
}

function importJson(rows: Record<string, unknown>[], query = '') {
  return ctx.app.inject({ method: 'POST', url: `/v1/imports/projects${query}`, payload: { rows } });
}

async function select<T = Record<string, unknown>>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await ctx.testDb.database.db.execute(query);
  return (result as unknown as { rows: T[] }).rows;
}

const count = async (table: string) => Number((await select<{ n: string }>(sql.raw(`select count(*) as n from ${table}`)))[0]!.n);

describe('project import', () => {
  it('imports a CSV with BOM, Chinese headers and CRLF, with exact amounts, first status and audit', async () => {
    await createDepartments();
    const csv = '\uFEFF' + [
      ZH_HEADER,
      'TZ-001,顶盛高端显示产业项目,中山市顶盛科技有限公司,工业投资,高端显示,坦洲园,"75,700.1234",2022/2/16,2024-12-31,GXJ,2022,市重点项目,新开工,"20 000.5"',
      'TZ-001,顶盛高端显示产业项目,中山市顶盛科技有限公司,工业投资,高端显示,坦洲园,"75,700.1234",2022/2/16,2024-12-31,GXJ,2022,镇重点工业项目,新开工,20000.5',
      'TZ-002,坦洲快线配套道路,坦洲镇人民政府,transport,,坦洲镇,48000,,,坦洲镇住房城乡建设和交通局,,,,',
      '',
    ].join('\r\n');
    const response = await importCsv(csv);
    expect(response.statusCode).toBe(201);
    const body = json(response);
    expect(body).toMatchObject({ dryRun: false, created: { projects: 2, plans: 2 }, projectCodes: ['TZ-001', 'TZ-002'] });
    expect(body.projectIds).toHaveLength(2);

    const projects = await select(sql`select code, category, estimated_investment::text as amount, planned_start_date::text as start, status from projects order by code`);
    expect(projects).toEqual([
      { code: 'TZ-001', category: 'industrial_investment', amount: '75700.1234', start: '2022-02-16', status: 'planning' },
      { code: 'TZ-002', category: 'transport', amount: '48000.0000', start: null, status: 'planning' },
    ]);
    const plans = await select(sql`select list, stage, planned_investment::text as amount from annual_plans order by list`);
    expect(plans).toEqual([
      { list: 'city_key', stage: 'new_start', amount: '20000.5000' },
      { list: 'town_key_industrial', stage: 'new_start', amount: '20000.5000' },
    ]);
    const [adminKey] = await select<{ id: string }>(sql`select id from api_keys where name = 'test admin'`);
    const history = await select<{ to_status: string; effective_date: string; actor: string }>(
      sql`select to_status, effective_date::text as effective_date, actor from project_status_changes`,
    );
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ to_status: 'planning', actor: adminKey!.id });
    expect(history[0]!.effective_date).toMatch(/^\d{4}-\d\d-\d\d$/);
    const audit = await select(
      sql`select resource_type, count(*)::int as n from audit_events where actor = ${adminKey!.id} and on_behalf_of = 'importer' group by resource_type order by resource_type`,
    );
    expect(audit).toEqual([{ resource_type: 'annual_plan', n: 2 }, { resource_type: 'project', n: 2 }]);
  });

  it('reads English headers and quoted fields holding commas, quotes and line breaks', async () => {
    await createDepartments();
    const csv = [
      EN_HEADER,
      'TZ-010,"易事达智能制造项目（一期, 二期）","易事达""电子""有限公司",工业投资,高端显示,"坦洲园\n第3地块",48000,2021-03-01,2023-06-30,GXJ,2022,city_key,continuing,12000',
    ].join('\n');
    const response = await importCsv(csv);
    expect(response.statusCode).toBe(201);
    const [project] = await select(sql`select name, owner_unit, location from projects`);
    expect(project).toEqual({ name: '易事达智能制造项目（一期, 二期）', owner_unit: '易事达"电子"有限公司', location: '坦洲园\n第3地块' });
  });

  it('imports JSON rows with amounts kept exact', async () => {
    await createDepartments();
    const response = await importJson([
      { code: 'TZ-020', name: '乡村振兴示范片', category: '乡村振兴', estimatedInvestment: '5000.0001', department: '住建', year: 2022, list: '专项债储备项目', stage: '前期', plannedInvestment: '0' },
      { code: 'TZ-021', name: '治水提升工程', category: 'water_control', estimatedInvestment: '12,345.67', department: 'ZJJ' },
    ]);
    expect(response.statusCode).toBe(201);
    expect(json(response).created).toEqual({ projects: 2, plans: 1, statusChanges: 2, leaderAssignments: 0, milestones: 0, reports: 0, issues: 0 });
    const rows = await select(sql`select code, estimated_investment::text as amount from projects order by code`);
    expect(rows).toEqual([{ code: 'TZ-020', amount: '5000.0001' }, { code: 'TZ-021', amount: '12345.6700' }]);
  });

  it('reports what a dry run would create and writes nothing', async () => {
    await createDepartments();
    const csv = [EN_HEADER, 'TZ-030,项目甲,,工业投资,,,100,,,GXJ,2022,city_key,new_start,50'].join('\n');
    const response = await importCsv(csv, '?dryRun=true');
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({
      dryRun: true,
      created: { projects: 1, plans: 1, statusChanges: 1, leaderAssignments: 0, milestones: 0, reports: 0, issues: 0 },
      projectCodes: ['TZ-030'],
      projectIds: [],
      warnings: [],
    });
    expect(await count('projects')).toBe(0);
    expect(await count('annual_plans')).toBe(0);
    expect(await count('audit_events where resource_type <> \'department\'')).toBe(0);
  });

  it('refuses the whole file when one row is bad and lists every problem with its row and column', async () => {
    await createDepartments();
    const csv = [
      ZH_HEADER,
      'TZ-040,好项目,,工业投资,,,100,,,GXJ,2022,市重点项目,新开工,50',
      'TZ-041,坏项目,,不存在的类别,,,1.23456,2022-02-30,,供电,2022,市重点项目,开工,"12,34"',
      'TZ-040,好项目,,工业投资,,,200,,,GXJ,2022,市重点项目,新开工,50',
    ].join('\r\n');
    const response = await importCsv(csv);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = json(response);
    expect(problem.code).toBe('import_invalid');
    const where = problem.rows.map((r: { row: number; column: string }) => `${r.row}:${r.column}`);
    expect(where).toEqual([
      '3:项目类别',
      '3:估算总投资（万元）',
      '3:计划开工日期',
      '3:责任部门',
      '3:阶段',
      '3:年度计划投资（万元）',
      '4:估算总投资（万元）',
      '4:名单',
    ]);
    expect(problem.rows[1].problem).toContain('more than 4 fraction digits');
    expect(problem.rows[3].problem).toContain('供电');
    expect(problem.rows[7].problem).toContain('row 2');
    expect(await count('projects')).toBe(0);
    expect(await count('annual_plans')).toBe(0);
  });

  it('lists the first 1000 problems of a large refused import and counts them all', async () => {
    await createDepartments();
    // Each row lacks name, category, estimated investment and department: 4 problems a row.
    const rows = Array.from({ length: 300 }, (_, i) => ({ code: `TZ-9${String(i).padStart(3, '0')}` }));
    const response = await importJson(rows);
    expect(response.statusCode).toBe(422);
    const problem = json(response);
    expect(problem.problemCount).toBe(1200);
    expect(problem.rows).toHaveLength(1000);
    expect(problem.detail).toBe('The import has 1200 problems (the first 1000 are listed); nothing was written');
    expect(await count('projects')).toBe(0);
  });

  it('cuts a long header cell in the warnings and a long quoted value in the problems it lists', async () => {
    await createDepartments();
    const header = `${EN_HEADER},${'列'.repeat(500)}`;
    const dry = await importCsv([header, 'TZ-070,项目丁,,工业投资,,,100,,,GXJ,,,,'].join('\n'), '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    const warned = json(dry).warnings as { column: string }[];
    expect(warned[0]!.column).toHaveLength(200);
    expect(warned[0]!.column.endsWith('…')).toBe(true);
    const response = await importCsv([header, `TZ-070,项目丁,,${'类'.repeat(3000)},,,100,,,GXJ,,,,`].join('\n'));
    expect(response.statusCode).toBe(422);
    const listed = json(response).rows as { column: string | null; problem: string }[];
    expect(listed[0]!.column).toBe('category');
    expect(listed[0]!.problem).toHaveLength(1000);
  });

  it('refuses a CSV of more than 100,000 data rows with a 413, as JSON rows are limited', async () => {
    const csv = [EN_HEADER, ...Array.from({ length: 100_001 }, () => 'x')].join('\n');
    const response = await importCsv(csv);
    expect(response.statusCode).toBe(413);
    expect(json(response)).toMatchObject({ code: 'import_too_many_rows' });
    expect(await count('projects')).toBe(0);
  });

  it('refuses a project code that already exists in the database', async () => {
    await createDepartments();
    const csv = [EN_HEADER, 'TZ-050,项目乙,,工业投资,,,100,,,GXJ,,,,'].join('\n');
    expect((await importCsv(csv)).statusCode).toBe(201);
    const again = await importCsv(csv);
    expect(again.statusCode).toBe(422);
    expect(json(again).rows).toEqual([{ sheet: null, row: 2, column: 'code', problem: expect.stringContaining('already exists') }]);
    expect(await count('projects')).toBe(1);
  });

  it('names a missing column on the header row, and an unknown one only as a warning', async () => {
    await createDepartments();
    const response = await importCsv(['项目编号,项目名称,颜色,估算总投资（万元）,责任部门', 'TZ-060,项目丙,红,100,GXJ'].join('\n'));
    expect(response.statusCode).toBe(422);
    expect(json(response).rows).toEqual([{ sheet: null, row: 1, column: '项目类别', problem: expect.stringContaining('required column') }]);
    const fine = await importCsv(['项目编号,项目名称,项目类别,颜色,估算总投资（万元）,责任部门,备注', 'TZ-060,项目丙,工业投资,红,100,GXJ,已核实'].join('\n'));
    expect(fine.statusCode).toBe(201);
    expect(json(fine).warnings).toEqual([
      { sheet: null, column: '颜色', warning: expect.stringContaining('unknown column') },
      { sheet: null, column: '备注', warning: expect.stringContaining('unknown column') },
    ]);
  });

  it('refuses an unknown JSON field with a 400 and a CSV sent as another media type with a 415', async () => {
    const unknown = await importJson([{ code: 'X', colour: 'red' }]);
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(json(unknown).errors)).toContain('colour');
    const plain = await ctx.app.inject({ method: 'POST', url: '/v1/imports/projects', payload: 'a,b', headers: { 'content-type': 'text/plain' } });
    expect(plain.statusCode).toBe(415);
  });

  it('imports 2,000 projects with a plan each in one request', async () => {
    await createDepartments();
    const lines = [EN_HEADER];
    for (let i = 0; i < 2000; i++) {
      lines.push(`BULK-${String(i).padStart(5, '0')},批量项目${i},,工业投资,,,"1,${String(i % 1000).padStart(3, '0')}.5",,,GXJ,2022,city_key,continuing,${i}.25`);
    }
    const response = await importCsv(lines.join('\r\n'));
    expect(response.statusCode).toBe(201);
    expect(json(response).created).toMatchObject({ projects: 2000, plans: 2000, statusChanges: 2000 });
    expect(await count('projects')).toBe(2000);
    expect(await count('project_status_changes')).toBe(2000);
    const [sum] = await select<{ total: string }>(sql`select sum(planned_investment)::text as total from annual_plans`);
    expect(sum!.total).toBe('1999500.0000');
  });
});
