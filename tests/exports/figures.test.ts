import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { columnOf, csvRecords, download, numbersIn, seedDemo, sum4, workbookOf, XLSX_TYPE } from './support.js';

const ctx = useTestApp();
const query = 'year=2022&list=city_key&asOf=2022-03-31';
const slow = { timeout: 120_000 };

async function summaryJson() {
  return json(await download(ctx, `/v1/metrics/summary?${query}`));
}

describe('figure exports', () => {
  it('exports the summary as a UTF-8 CSV with a BOM, Chinese headers and the JSON summary\'s exact values', slow, async () => {
    await seedDemo(ctx);
    const response = await download(ctx, `/v1/exports/metrics-summary?${query}&format=csv`);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="kpo-summary-city_key-2022-2022-03-31.csv"');

    const records = csvRecords(response);
    expect(Object.keys(records[0]!)).toEqual(expect.arrayContaining(['指标 / Figure', '数值 / Value', '单位 / Unit', '分子 / Numerator', '分母 / Denominator', '计算口径 / Formula', '统计截止日 / As of']));
    const byKey = new Map(records.map((r) => [r['指标代码 / Figure key'], r]));
    const summary = await summaryJson();
    const expected: Record<string, unknown> = {
      project_count: summary.figures.projectCount.value,
      estimated_investment: summary.figures.estimatedInvestment.value,
      planned_investment: summary.figures.plannedInvestment.value,
      'new_start.project_count': summary.byStage.new_start.projectCount.value,
      'continuing.estimated_investment': summary.byStage.continuing.estimatedInvestment.value,
      investment_completed: summary.figures.investmentCompleted.value,
      plan_completion_rate: summary.figures.planCompletionRate.value,
      start_rate: summary.figures.startRate.value,
    };
    for (const [key, value] of Object.entries(expected)) expect(byKey.get(key)?.['数值 / Value'], key).toBe(String(value));
    expect(byKey.get('estimated_investment')).toMatchObject({ '数值 / Value': '747100.0000', '单位 / Unit': '万元', '统计截止日 / As of': '2022-03-31' });
    expect(byKey.get('estimated_investment')?.['差额（计算−公布）/ Difference']).toBe('-9900.0000');
    expect(byKey.get('investment_completed')?.['数值 / Value']).toBe('29000.0000');
    expect(byKey.get('project_count')?.['数值 / Value']).toBe('12');
    expect(byKey.get('plan_completion_rate')).toMatchObject({
      '分子 / Numerator': summary.figures.planCompletionRate.numerator,
      '分母 / Denominator': summary.figures.planCompletionRate.denominator,
    });
    expect(records).toHaveLength(19);
  });

  it('exports the summary as XLSX with number cells for amounts, integers for counts and percent-formatted rates', slow, async () => {
    await seedDemo(ctx);
    const response = await download(ctx, `/v1/exports/metrics-summary?${query}&format=xlsx`);
    expect(response.headers['content-type']).toBe(XLSX_TYPE);
    expect(response.headers['content-disposition']).toBe('attachment; filename="kpo-summary-city_key-2022-2022-03-31.xlsx"');

    const workbook = await workbookOf(response);
    const sheet = workbook.getWorksheet('指标汇总')!;
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const value = columnOf(sheet, '数值');
    const rowOf = (key: string) => {
      for (let r = 2; r <= sheet.rowCount; r += 1) if (sheet.getRow(r).getCell(2).value === key) return sheet.getRow(r);
      throw new Error(`no row ${key}`);
    };
    const estimated = rowOf('estimated_investment').getCell(value);
    expect(estimated.type).toBe(ExcelJS.ValueType.Number);
    expect(estimated.value).toBe(747100);
    expect(estimated.numFmt).toBe('#,##0.00');
    expect(rowOf('project_count').getCell(value).value).toBe(12);
    const rate = rowOf('plan_completion_rate').getCell(value);
    expect(rate.numFmt).toBe('0.00%');
    expect(rate.value).toBe((await summaryJson()).figures.planCompletionRate.value);
    expect(rowOf('estimated_investment').getCell(columnOf(sheet, '统计截止日')).value).toEqual(new Date(Date.UTC(2022, 2, 31)));

    const about = workbook.getWorksheet('说明')!;
    const lines = about.getSheetValues().flat().map(String);
    expect(lines).toEqual(expect.arrayContaining(['2022-03-31', '市重点项目（city_key）']));
  });

  it('exports a breakdown whose amount cells add up in the spreadsheet to the summary\'s exact total', slow, async () => {
    await seedDemo(ctx);
    const response = await download(ctx, `/v1/exports/metrics-breakdown?${query}&by=stage&format=xlsx`);
    expect(response.headers['content-disposition']).toBe('attachment; filename="kpo-breakdown-stage-city_key-2022-2022-03-31.xlsx"');
    const sheet = (await workbookOf(response)).worksheets[0]!;
    expect(sheet.name).toBe('按建设阶段统计');
    expect(sum4(numbersIn(sheet, columnOf(sheet, '估算总投资')))).toBe('747100.0000');
    expect(sum4(numbersIn(sheet, columnOf(sheet, '完成投资')))).toBe('29000.0000');
    expect(numbersIn(sheet, columnOf(sheet, '项目个数')).reduce((a, b) => a + b, 0)).toBe(12);
    const labels = [2, 3].map((r) => sheet.getRow(r).getCell(columnOf(sheet, '建设阶段 /')).value);
    expect(labels).toEqual(['续建', '新开工']);
  });

  it('exports a breakdown by category as CSV with Chinese group names and the JSON breakdown\'s amounts', slow, async () => {
    await seedDemo(ctx);
    const records = csvRecords(await download(ctx, `/v1/exports/metrics-breakdown?${query}&by=category&format=csv`));
    const breakdown = json(await download(ctx, `/v1/metrics/breakdown?${query}&by=category`));
    expect(records.map((r) => r['项目类别代码 / Category key'])).toEqual(breakdown.groups.map((g: { key: string }) => g.key));
    expect(records.map((r) => r['估算总投资（万元）/ Estimated investment'])).toEqual(
      breakdown.groups.map((g: { figures: { estimatedInvestment: { value: string } } }) => g.figures.estimatedInvestment.value),
    );
    expect(records.find((r) => r['项目类别代码 / Category key'] === 'industrial_investment')?.['项目类别 / Category']).toBe('工业投资');
  });

  it('refuses an unknown format, a missing year and an unknown parameter with a 400 problem', async () => {
    for (const url of [
      `/v1/exports/metrics-summary?${query}&format=pdf`,
      `/v1/exports/metrics-summary?list=city_key&format=csv`,
      `/v1/exports/metrics-summary?${query}`,
      `/v1/exports/metrics-breakdown?${query}&format=csv`,
      `/v1/exports/metrics-summary?${query}&format=csv&colour=red`,
    ]) {
      const response = await ctx.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(json(response).code).toBe('validation_failed');
    }
  });
});
