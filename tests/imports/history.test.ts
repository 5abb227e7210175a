import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { json, useTestApp } from '../support/app.js';
import { count, createDepartments, importFile, select, serialOf, workbook, XLSX_TYPE } from './support.js';

const ctx = useTestApp();

const projectHeader = ['项目编号 / Code', '项目名称', '项目类别', '估算总投资（万元）', '责任部门', '项目状态', '实际开工日期', '年度', '名单', '阶段', '年度计划投资（万元）', '备注'];

/** A town adopting the service in 2021: A under construction since 2021-03-01, B suspended and resumed, C not started. */
async function townWorkbook() {
  return workbook({
    项目: [
      projectHeader,
      // The start date as an Excel serial with its date format lost.
      ['TZ-A', '顶盛高端显示产业项目', '工业投资', 75700.1234, 'GXJ', '在建', serialOf('2021-03-01'), 2021, '市重点项目', '新开工', 1000, '已开工'],
      ['TZ-B', '坦洲快线配套道路', '交通设施', 48000, '住建', '在建', '2020-10-01', 2021, '市重点项目', '续建', 500, null],
      ['TZ-C', '乡村振兴示范片', '乡村振兴', 5000, 'ZJJ', null, null, 2021, '市重点项目', '新开工', 800, null],
    ],
    状态历史: [
      ['项目编号', '状态', '生效日期', '原因'],
      ['TZ-B', '谋划/前期', '2020-05-01', null],
      ['TZ-B', '已审批', '2020/9/1', null],
      ['TZ-B', '在建', '2020年10月1日', null],
      ['TZ-B', '停工', '2021-01-10', '春节停工'],
      ['TZ-B', '在建', '2021-04-20', '复工'],
    ],
    挂点领导: [
      ['项目编号', '领导', '角色', '开始日期', '结束日期'],
      ['TZ-A', '张某', '挂点领导', '2021-01-01', null],
    ],
    节点计划: [
      ['项目编号', '节点类型', '计划日期', '实际日期'],
      ['TZ-A', '开工', '2021-03-01', '2021-03-01'],
      ['TZ-A', '竣工验收', '2024-12-31', null],
    ],
    进度报送: [
      ['项目编号 / Code', '报送期 / Period', '本期完成投资（万元）', '形象进度（%）', '是否在建', '进展情况', '报送时间'],
      ['TZ-A', '2021-03-H2', 300, 35, '是', '基础施工', '2021-04-02 09:00'],
      ['TZ-A', '2021年4月上半月', 200, '40%', '是', '主体施工', '2021-04-25 10:00'],
    ],
    问题: [
      ['项目编号', '问题', '问题类别', '问题来源', '提出日期', '办理方式', '责任部门', '办理状态', '办理结果', '解决日期'],
      ['TZ-A', '临时用电报装', '用电', '企业诉求', '2021-03-05', '马上办', 'GXJ', '已解决', '供电所已接入', '2021-03-20'],
    ],
    说明: [['项目', '内容'], ['导出时间', '2021-05-01']],
  });
}

async function figures(query: string) {
  const response = await ctx.app.inject({ method: 'GET', url: `/v1/metrics/summary?year=2021&list=city_key&${query}` });
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  return json(response).figures;
}

describe('import with history', () => {
  it('imports a town mid-way from one workbook: status histories, plans, leaders, milestones, past reports and issues, marked as imported', async () => {
    await createDepartments(ctx);
    expect((await ctx.app.inject({ method: 'POST', url: '/v1/leaders', payload: { name: '张某', title: '镇长' } })).statusCode).toBe(201);
    const before = new Date().toISOString();
    const file = await townWorkbook();

    const dry = await importFile(ctx, file, XLSX_TYPE, '?dryRun=true');
    expect(dry.statusCode, dry.body.slice(0, 500)).toBe(200);
    expect(json(dry).created).toEqual({ projects: 3, plans: 3, statusChanges: 7, leaderAssignments: 1, milestones: 2, reports: 2, issues: 1 });
    expect(json(dry).warnings).toEqual([
      { sheet: '说明', column: null, warning: expect.stringContaining('sheet not imported') },
      { sheet: '项目', column: '备注', warning: expect.stringContaining('unknown column') },
    ]);
    expect(await count(ctx, 'projects')).toBe(0);

    const response = await importFile(ctx, file, XLSX_TYPE);
    expect(response.statusCode, response.body.slice(0, 500)).toBe(201);

    const projects = await select(ctx, sql`select code, status, actual_start_date::text as start, estimated_investment::text as amount from projects order by code`);
    expect(projects).toEqual([
      { code: 'TZ-A', status: 'under_construction', start: '2021-03-01', amount: '75700.1234' },
      { code: 'TZ-B', status: 'under_construction', start: '2020-10-01', amount: '48000.0000' },
      { code: 'TZ-C', status: 'planning', start: null, amount: '5000.0000' },
    ]);
    const history = await select(ctx, sql`select p.code, c.from_status, c.to_status, c.effective_date::text as day from project_status_changes c join projects p on p.id = c.project_id where p.code <> 'TZ-C' order by p.code, c.effective_date, c.id`);
    expect(history).toEqual([
      { code: 'TZ-A', from_status: null, to_status: 'under_construction', day: '2021-03-01' },
      { code: 'TZ-B', from_status: null, to_status: 'planning', day: '2020-05-01' },
      { code: 'TZ-B', from_status: 'planning', to_status: 'approved', day: '2020-09-01' },
      { code: 'TZ-B', from_status: 'approved', to_status: 'under_construction', day: '2020-10-01' },
      { code: 'TZ-B', from_status: 'under_construction', to_status: 'suspended', day: '2021-01-10' },
      { code: 'TZ-B', from_status: 'suspended', to_status: 'under_construction', day: '2021-04-20' },
    ]);
    const reports = await select(ctx, sql`select period, (submitted_at at time zone 'Asia/Shanghai')::text as submitted_at, late from progress_reports order by period`);
    expect(reports).toEqual([
      { period: '2021-03-H2', submitted_at: '2021-04-02 09:00:00', late: false },
      { period: '2021-04-H1', submitted_at: '2021-04-25 10:00:00', late: true },
    ]);
    const [issue] = await select(ctx, sql`select status, category, handling_mode, raised_on::text as raised, resolved_on::text as resolved from project_issues`);
    expect(issue).toEqual({ status: 'resolved', category: 'power', handling_mode: 'immediate', raised: '2021-03-05', resolved: '2021-03-20' });
    const audit = await select(ctx, sql`select action, resource_type, count(*)::int as n from audit_events where resource_type not in ('department', 'leader') group by 1, 2 order by 2`);
    expect(audit).toEqual([
      { action: 'import', resource_type: 'annual_plan', n: 3 },
      { action: 'import', resource_type: 'issue', n: 1 },
      { action: 'import', resource_type: 'leader_assignment', n: 1 },
      { action: 'import', resource_type: 'progress_report', n: 2 },
      { action: 'import', resource_type: 'project', n: 3 },
      { action: 'import', resource_type: 'project_milestone', n: 2 },
    ]);

    // The figures of any past day are what the imported history says.
    const february = await figures('asOf=2021-02-28');
    expect(february.startedCount.value).toBe(0);
    expect(february.resumedCount.value).toBe(0);
    const march = await figures('asOf=2021-03-31');
    expect(march.startedCount.value).toBe(1);
    expect(march.startRate).toMatchObject({ numerator: 1, denominator: 2 });
    expect(march.resumedCount.value).toBe(0);
    expect(march.investmentCompleted.value).toBe('300.0000');
    const april = await figures('asOf=2021-04-30');
    expect(april.resumedCount.value).toBe(1);
    expect(april.investmentCompleted.value).toBe('500.0000');
    // Known only from the moment it was imported.
    const known = await figures(`asOf=2021-04-30&knownAt=${encodeURIComponent(before)}`);
    expect(known.projectCount.value).toBe(0);

    const [b] = await select<{ id: string }>(ctx, sql`select id from projects where code = 'TZ-B'`);
    const status = await ctx.app.inject({ method: 'GET', url: `/v1/projects/${b!.id}/status?asOf=2021-02-01` });
    expect(json(status)).toMatchObject({ status: 'suspended', effectiveDate: '2021-01-10' });
  });

  it('refuses a history that breaks the lifecycle, a status without its date and reports of an unknown project, writing nothing', async () => {
    await createDepartments(ctx);
    const file = await workbook({
      Projects: [
        ['code', 'name', 'category', 'estimatedInvestment', 'department', 'status', 'actualStartDate'],
        ['TZ-X', '甲', '工业投资', 100, 'GXJ', '停工', '2021-03-01'],
        ['TZ-Y', '乙', '工业投资', 100, 'GXJ', '在建', null],
        ['TZ-Z', '丙', '工业投资', 100, 'GXJ', '竣工', null],
      ],
      'Status history': [
        ['code', 'status', 'effectiveDate'],
        ['TZ-Z', '谋划/前期', '2020-01-01'],
        ['TZ-Z', '竣工', '2020-06-01'],
      ],
      Reports: [
        ['code', 'period', 'investmentCompleted', 'workOngoing', 'submittedAt'],
        ['TZ-NONE', '2021-03-H2', 1, '是', '2021-04-01 08:00'],
        ['TZ-X', '2021-03-H2', 1, '是', '2021-03-10 08:00'],
      ],
    });
    const response = await importFile(ctx, file, XLSX_TYPE);
    expect(response.statusCode).toBe(422);
    const where = json(response).rows.map((r: { sheet: string; row: number; column: string }) => `${r.sheet}!${r.row}:${r.column}`);
    expect(where).toEqual([
      'Projects!2:statusDate',
      'Projects!3:actualStartDate',
      'Status history!3:status',
      'Reports!2:code',
      'Reports!3:submittedAt',
    ]);
    expect(await count(ctx, 'projects')).toBe(0);
    expect(await count(ctx, 'progress_reports')).toBe(0);
  });

  it('reads a CSV that Excel saved in GBK, by charset or detected, with 备注 as a warning', async () => {
    await createDepartments(ctx);
    const gbk = Buffer.from(
      'cfeec4bfb1e0bac52ccfeec4bfc3fbb3c62ccfeec4bfc0e0b1f02cb9c0cbe3d7dccdb6d7caa3a8cdf2d4aaa3a92cd4f0c8ceb2bfc3c52cb1b8d7a20d0a545a2d47312cccb9d6ded5f2cedbcbaeb9dccdf8b9a4b3cc2cd6cecbae2c313230302e352cd7a1bda82cd5f2b2c6d5feb3f6d7ca0d0a',
      'hex',
    );
    const named = await importFile(ctx, gbk, 'text/csv; charset=gbk', '?dryRun=true');
    expect(named.statusCode, named.body).toBe(200);
    expect(json(named).warnings).toEqual([{ sheet: null, column: '备注', warning: expect.stringContaining('unknown column') }]);
    const detected = await importFile(ctx, gbk, 'text/csv');
    expect(detected.statusCode, detected.body).toBe(201);
    const [project] = await select(ctx, sql`select name, category from projects`);
    expect(project).toEqual({ name: '坦洲镇污水管网工程', category: 'water_control' });
    const asUtf8 = await importFile(ctx, gbk, 'text/csv; charset=utf-8');
    expect(asUtf8.statusCode).toBe(400);
    expect(json(asUtf8).code).toBe('csv_not_utf8');
    const latin = await importFile(ctx, gbk, 'text/csv; charset=latin1');
    expect(latin.statusCode).toBe(415);
    expect(json(latin).code).toBe('unsupported_charset');
  });
});
