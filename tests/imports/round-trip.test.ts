import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeDemo } from '../../src/cli/demo/write-demo.js';
import { json, useTestApp, type TestContext } from '../support/app.js';
import { importFile, XLSX_TYPE } from './support.js';

// Two databases: the town's, and the empty one its records move to.
const source = useTestApp();
const target = useTestApp();

async function download(ctx: TestContext, url: string) {
  const response = await ctx.app.inject({ method: 'GET', url });
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  return response.rawPayload;
}

/** Every data sheet's cells as text (the 说明 sheet says when it was exported, so it differs). */
async function sheetsOf(file: Buffer, drop: string[] = []): Promise<Record<string, string[][]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as unknown as ExcelJS.Buffer);
  const out: Record<string, string[][]> = {};
  for (const sheet of book.worksheets) {
    if (sheet.name === '说明') continue;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const keep = header.map((h) => !drop.some((d) => h.startsWith(d)));
    const rows: string[][] = [];
    sheet.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1);
      rows.push(header.map((_, i) => values[i]).filter((_, i) => keep[i]).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v === null || v === undefined ? '' : String(v))));
    });
    out[sheet.name] = rows;
  }
  return out;
}

/** The master data an import names but does not bring: departments by code, leaders by name. */
async function copyMasterData() {
  for (const d of json(await source.app.inject({ method: 'GET', url: '/v1/departments?limit=200' })).items) {
    const created = await target.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: d.code, name: d.name, ...(d.shortName ? { shortName: d.shortName } : {}) } });
    expect(created.statusCode, created.body).toBe(201);
  }
  for (const l of json(await source.app.inject({ method: 'GET', url: '/v1/leaders?limit=200' })).items) {
    const created = await target.app.inject({ method: 'POST', url: '/v1/leaders', payload: { name: l.name, title: l.title } });
    expect(created.statusCode, created.body).toBe(201);
  }
}

describe('round trip: export, import into an empty database, export again', () => {
  it('moves every kind of record of the Tanzhou demo and exports it again identically', { timeout: 240_000 }, async () => {
    await writeDemo(source.testDb.database.db, { reportDueDays: 3 });
    await copyMasterData();
    const records = await download(source, '/v1/exports/records?format=xlsx');
    const exported = await sheetsOf(records);
    expect(Object.keys(exported)).toEqual(['项目', '状态历史', '年度计划', '挂点领导', '节点计划', '进度报送', '问题']);
    for (const [name, rows] of Object.entries(exported)) expect(rows.length, name).toBeGreaterThan(1);

    const dry = await importFile(target, records, XLSX_TYPE, '?dryRun=true');
    expect(dry.statusCode, dry.body.slice(0, 1500)).toBe(200);
    expect(json(dry).warnings).toEqual([{ sheet: '说明', column: null, warning: expect.stringContaining('sheet not imported') }]);
    const imported = await importFile(target, records, XLSX_TYPE);
    expect(imported.statusCode, imported.body.slice(0, 1500)).toBe(201);
    expect(json(imported).created).toMatchObject({ projects: exported['项目']!.length - 1, reports: exported['进度报送']!.length - 1, issues: exported['问题']!.length - 1 });

    expect(await sheetsOf(await download(target, '/v1/exports/records?format=xlsx'))).toEqual(exported);

    // The office's projects list of a year re-imports too, with its plans; only the record ids differ.
    const list = (ctx: TestContext) => download(ctx, '/v1/exports/projects?year=2022&asOf=2022-03-31&format=xlsx');
    const fromSource = await sheetsOf(await list(source), ['记录编号']);
    expect(await sheetsOf(await list(target), ['记录编号'])).toEqual(fromSource);
  });

  it('re-imports the projects export of a year as it is, with 0 problems and only warnings for its derived columns', { timeout: 240_000 }, async () => {
    await writeDemo(source.testDb.database.db, { reportDueDays: 3 });
    await copyMasterData();
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await download(source, `/v1/exports/projects?year=2022&format=${format}`);
      const dry = await importFile(target, file, format === 'csv' ? 'text/csv' : XLSX_TYPE, '?dryRun=true');
      expect(dry.statusCode, `${format}: ${dry.body.slice(0, 1500)}`).toBe(200);
      const warned = json(dry).warnings.map((w: { column: string | null }) => w.column?.split(/\s*\/\s*|\n/)[0]);
      expect(json(dry).warnings.filter((w: { column: string | null }) => w.column).every((w: { warning: string }) => w.warning.includes('derived'))).toBe(true);
      expect(warned.filter(Boolean)).toEqual(['序号', '累计完成投资（万元）', '最近形象进度', '最近报送期', '截至日状态', '责任部门名称', '挂点领导', '记录编号']);
    }
  });
});
