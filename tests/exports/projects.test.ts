import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.js';
import { createProjectExports } from '../../src/modules/exports/exports.projects.js';
import { json, useTestApp } from '../support/app.js';
import { columnOf, csvRecords, download, numbersIn, seedDemo, sum4, workbookOf } from './support.js';

const ctx = useTestApp();
const slow = { timeout: 120_000 };

async function listedCodes(filters: string): Promise<string[]> {
  const codes: string[] = [];
  let cursor: string | null = null;
  do {
    const page = json(await download(ctx, `/v1/projects?${filters}&limit=200${cursor ? `&cursor=${cursor}` : ''}`));
    codes.push(...page.items.map((p: { code: string }) => p.code));
    cursor = page.nextCursor;
  } while (cursor);
  return codes;
}

async function someDepartmentId(): Promise<string> {
  return json(await download(ctx, '/v1/departments')).items[0].id;
}

describe('project list exports', () => {
  it('exports exactly the projects the list returns for the same filters (city_key 2022: 12)', slow, async () => {
    await seedDemo(ctx);
    const response = await download(ctx, '/v1/exports/projects?list=city_key&year=2022&format=csv');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="kpo-projects-city_key-2022-\d{4}-\d{2}-\d{2}\.csv"$/);
    const records = csvRecords(response);
    expect(records).toHaveLength(12);
    expect(records.map((r) => r['项目编号 / Code'])).toEqual(await listedCodes('list=city_key&year=2022'));
    expect(records.map((r) => r['序号 / No.'])).toEqual(records.map((_, i) => String(i + 1)));
    expect(records[0]!['估算总投资（万元）/ Estimated investment']).toMatch(/^\d+\.\d{4}$/);
    expect(records.every((r) => r['责任部门 / Responsible department'] && !/^[0-9a-f-]{36}$/.test(r['责任部门 / Responsible department']!))).toBe(true);

    const newStarts = csvRecords(await download(ctx, '/v1/exports/projects?list=city_key&year=2022&stage=new_start&format=csv'));
    expect(newStarts).toHaveLength(5);
  });

  it('exports XLSX whose amount cells sum in the spreadsheet to the exact total of the list', slow, async () => {
    await seedDemo(ctx);
    const workbook = await workbookOf(await download(ctx, '/v1/exports/projects?list=city_key&year=2022&format=xlsx'));
    const sheet = workbook.getWorksheet('项目清单')!;
    expect(sheet.rowCount).toBe(13);
    const amounts = columnOf(sheet, '估算总投资');
    expect(sum4(numbersIn(sheet, amounts))).toBe('747100.0000');
    expect(sheet.getRow(2).getCell(amounts).numFmt).toBe('#,##0.00');
    expect(numbersIn(sheet, columnOf(sheet, '序号'))).toEqual([...Array(12).keys()].map((i) => i + 1));
    const start = sheet.getRow(2).getCell(columnOf(sheet, '计划开工日期'));
    if (start.value !== null) expect(start.type).toBe(ExcelJS.ValueType.Date);
  });

  it('prefixes CSV text that a spreadsheet would run as a formula, and keeps it as plain text in XLSX', slow, async () => {
    const departmentId = json(
      await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'FGJ', name: '发改局' }, headers: { 'x-actor': 'tester' } }),
    ).id;
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/v1/projects',
      headers: { 'x-actor': 'tester' },
      payload: {
        code: 'EVIL-1', name: '=HYPERLINK("http://x.example","点击")', ownerUnit: '@SUM(1+1)', industry: '+cmd',
        location: '-2+3', description: 'plain, with "quotes"\nand a line', category: 'transport', estimatedInvestment: '1.5000', departmentId,
      },
    });
    expect(created.statusCode).toBe(201);

    const [record] = csvRecords(await download(ctx, '/v1/exports/projects?q=EVIL&format=csv'));
    expect(record).toMatchObject({
      '项目名称 / Name': '\'=HYPERLINK("http://x.example","点击")',
      '项目单位 / Owner unit': '\'@SUM(1+1)',
      '所属行业 / Industry': '\'+cmd',
      '建设地点 / Location': '\'-2+3',
      '建设内容及说明 / Description': 'plain, with "quotes"\nand a line',
      '估算总投资（万元）/ Estimated investment': '1.5000',
    });

    const sheet = (await workbookOf(await download(ctx, '/v1/exports/projects?q=EVIL&format=xlsx'))).worksheets[0]!;
    const name = sheet.getRow(2).getCell(columnOf(sheet, '项目名称'));
    expect(name.type).toBe(ExcelJS.ValueType.String);
    expect(name.value).toBe('=HYPERLINK("http://x.example","点击")');
  });

  it('reads every page of a long list, in code order', slow, async () => {
    const departmentId = json(
      await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'ZJJ', name: '住建局' }, headers: { 'x-actor': 'tester' } }),
    ).id;
    await ctx.testDb.database.db.execute(sql`
      insert into projects (id, code, name, category, estimated_investment, department_id)
      select gen_random_uuid(), 'P-' || lpad(n::text, 4, '0'), '项目' || n, 'transport', n + 0.0001, ${departmentId}::uuid
      from generate_series(1, 450) as n`);
    const workbook = await workbookOf(await download(ctx, '/v1/exports/projects?format=xlsx'));
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(451);
    expect(sheet.getRow(451).getCell(columnOf(sheet, '项目编号')).value).toBe('P-0450');
    // 1 + … + 450 = 101475, plus 450 × 0.0001
    expect(sum4(numbersIn(sheet, columnOf(sheet, '估算总投资')))).toBe('101475.0450');
  });

  it('refuses more projects than the cap with export_too_large, and accepts exactly the cap', slow, async () => {
    await seedDemo(ctx);
    const filters = { list: 'city_key', year: 2022, includeArchived: 'false' } as const;
    const exact = await createProjectExports({ db: ctx.testDb.database.db, maxRows: 12 }).projectsFile(filters);
    expect(exact.sheet.rows).toHaveLength(12);
    const refused = createProjectExports({ db: ctx.testDb.database.db, maxRows: 11 }).projectsFile(filters);
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ status: 422, code: 'export_too_large' });
  });

  it('gives what an office reads: the stage and plan of the year, investment to date, leaders, status on asOf and the department by code and name', slow, async () => {
    await seedDemo(ctx);
    const query = 'year=2022&list=city_key&asOf=2022-03-31';
    const summary = json(await download(ctx, `/v1/metrics/summary?${query}`)).figures;
    const records = csvRecords(await download(ctx, `/v1/exports/projects?${query}&format=csv`));
    expect(records).toHaveLength(12);
    const stages = records.map((r) => r['阶段 / Stage']);
    expect(stages.filter((s) => s === '新开工')).toHaveLength(5);
    expect(stages.filter((s) => s === '续建')).toHaveLength(7);
    const amounts = (header: string) => sum4(records.map((r) => Number(r[header] || 0)));
    expect(amounts('年度计划投资（万元）/ Planned investment of the year')).toBe(Number(summary.plannedInvestment.value).toFixed(4));
    expect(amounts('累计完成投资（万元）/ Investment completed to date')).toBe(Number(summary.investmentCompleted.value).toFixed(4));
    const departments = json(await download(ctx, '/v1/departments?limit=200')).items as { code: string; name: string }[];
    const nameOf = new Map(departments.map((d) => [d.code, d.name]));
    for (const r of records) {
      expect(nameOf.get(r['责任部门 / Responsible department']!)).toBe(r['责任部门名称 / Department name']);
      expect(r['截至日状态 / Status on as-of date']).toMatch(/^(谋划\/前期|已审批|在建|停工|竣工|取消)$/);
      expect(r['年度 / Year']).toBe('2022');
      expect(r['名单 / List']).toBe('市重点项目');
    }
    expect(records.some((r) => r['挂点领导 / Leaders'])).toBe(true);
    expect(records.filter((r) => /^2022-0[1-3]-H[12]$/.test(r['最近报送期 / Last report period']!)).length).toBeGreaterThan(0);
    // Started by March (the start rate's numerator) is what the status on asOf says of the new starts.
    const started = records.filter((r) => r['阶段 / Stage'] === '新开工' && r['实际开工日期 / Actual start'] && r['实际开工日期 / Actual start']! <= '2022-03-31');
    expect(started).toHaveLength(summary.startedCount.value);
  });

  it('prints on A4 landscape, fit to one page wide, with the header row repeated and tall enough for its wrapped text', slow, async () => {
    await seedDemo(ctx);
    const workbook = await workbookOf(await download(ctx, '/v1/exports/projects?year=2022&list=city_key&format=xlsx'));
    const sheet = workbook.getWorksheet('项目清单')!;
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' });
    const header = sheet.getRow(1);
    expect(header.height).toBeGreaterThanOrEqual(36);
    expect(header.getCell(2).alignment).toMatchObject({ wrapText: true });
    expect(header.getCell(2).value).toBe('项目编号\nCode');
    const planned = sheet.getRow(2).getCell(columnOf(sheet, '年度计划投资'));
    expect(planned.numFmt).toBe('#,##0.00');
    expect(typeof planned.value).toBe('number');
  });

  it('refuses a list without a year, an unknown format and paging parameters with a 400 problem', async () => {
    for (const url of [
      '/v1/exports/projects?list=city_key&format=csv',
      '/v1/exports/projects?format=pdf',
      '/v1/exports/projects',
      '/v1/exports/projects?format=csv&limit=10',
      '/v1/exports/projects?format=csv&cursor=abc',
    ]) {
      const response = await ctx.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(json(response).code).toBe('validation_failed');
    }
  });
});
