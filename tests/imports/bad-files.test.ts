import { describe, expect, it } from 'vitest';
import { createDeflateRaw } from 'node:zlib';
import { useTestApp } from '../support/app.js';
import { sql } from 'drizzle-orm';
import { count, createDepartments, importFile, minimalWorkbook, select, workbook, XLSX_TYPE } from './support.js';

// A 2 MB body limit, so that an oversized file is cheap to make.
const ctx = useTestApp({ IMPORT_BODY_LIMIT_BYTES: String(2 * 1024 * 1024) });

const header = ['项目编号', '项目名称', '项目类别', '估算总投资（万元）', '责任部门', '计划开工日期'];

/** Deflates `total` bytes of `unit` repeated, without ever holding them: a zip bomb's sheet. */
async function deflatedRepeat(prefix: string, unit: string, total: number, suffix: string): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  deflate.write(prefix);
  const block = Buffer.from(unit.repeat(Math.ceil((1 << 20) / unit.length)));
  for (let written = 0; written < total; written += block.length) {
    if (!deflate.write(block)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end(suffix);
  await done;
  return Buffer.concat(out);
}

function problemOf(response: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  expect(response.headers['content-type']).toContain('application/problem+json');
  return JSON.parse(response.body);
}

describe('bad files', () => {
  it('answers a corrupt .xlsx, a CSV in .xlsx clothing and an .xlsx sent as CSV with a 415 saying what the file is not', async () => {
    const corrupt = await importFile(ctx, Buffer.from('PK\u0003\u0004 this is not really a zip'), XLSX_TYPE);
    expect(corrupt.statusCode).toBe(415);
    expect(problemOf(corrupt)).toMatchObject({ code: 'file_not_of_type', detail: expect.stringContaining('central directory') });
    const csv = await importFile(ctx, Buffer.from('项目编号,项目名称\r\nTZ-1,甲\r\n'), XLSX_TYPE);
    expect(csv.statusCode).toBe(415);
    expect(problemOf(csv).detail).toContain('does not start as a zip');
    const xlsx = await workbook({ 项目: [header] });
    const asCsv = await importFile(ctx, xlsx, 'text/csv');
    expect(asCsv.statusCode).toBe(415);
    expect(problemOf(asCsv).detail).toContain('zip archive');
    expect(await count(ctx, 'projects')).toBe(0);
  });

  it('refuses a workbook over the body limit with a 413', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 1);
    big.write('PK\u0003\u0004');
    const response = await importFile(ctx, big, XLSX_TYPE);
    expect(response.statusCode).toBe(413);
    problemOf(response);
  });

  it('stops inflating a zip bomb at its budget and answers 413, with memory bounded', slowBomb(), async () => {
    // Rows of a hundred thousand empty cells each: about 300 MB of sheet XML, from well under 1 MB.
    const row = `<row r="2">${'<c r="A2"/>'.repeat(100_000)}</row>`;
    const sheet = await deflatedRepeat('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>项目编号</t></is></c></row>', row, 300 * 1024 * 1024, '</sheetData></worksheet>');
    const file = minimalWorkbook('进度报送', Buffer.alloc(0), sheet);
    expect(file.length).toBeLessThan(2 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const response = await importFile(ctx, file, XLSX_TYPE);
    expect(response.statusCode).toBe(413);
    expect(problemOf(response)).toMatchObject({ code: 'xlsx_too_large', detail: expect.stringContaining('zip bomb') });
    // The sheet was never held: far less than the 256 MB it would inflate to.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses a single row that inflates past 16 MB without holding it', async () => {
    const sheet = await deflatedRepeat('<worksheet><sheetData><row r="1">', '<c r="A1"/>', 20 * 1024 * 1024, '</row></sheetData></worksheet>');
    const response = await importFile(ctx, minimalWorkbook('项目', Buffer.alloc(0), sheet), XLSX_TYPE);
    expect(response.statusCode).toBe(413);
    expect(problemOf(response).detail).toContain('a row of more than');
  });

  it('names the row and column of a formula, an error value and a merged header, writing nothing', async () => {
    await createDepartments(ctx);
    const file = await workbook({ 项目: [header, ['TZ-1', '甲', '工业投资', 100, 'GXJ', '2021-03-01'], ['TZ-2', '乙', '工业投资', 50, 'GXJ', null]] }, (book) => {
      const sheet = book.getWorksheet('项目')!;
      sheet.getCell('D3').value = { formula: 'D2/2', result: 50 };
      sheet.getCell('F3').value = { error: '#N/A' };
      sheet.mergeCells('A1:B1');
    });
    const response = await importFile(ctx, file, XLSX_TYPE);
    expect(response.statusCode).toBe(422);
    const problem = problemOf(response);
    expect(problem.code).toBe('import_invalid');
    const where = problem.rows.map((r: { sheet: string; row: number; column: string; problem: string }) => `${r.sheet}!${r.row}:${r.column}:${r.problem.slice(0, 20)}`);
    expect(where).toEqual(expect.arrayContaining([
      expect.stringMatching(/^项目!3:估算总投资（万元）:the cell holds a for/),
      expect.stringMatching(/^项目!3:计划开工日期:the cell holds an er/),
      expect.stringMatching(/^项目!1:项目编号:cells A1:B1 are merg/),
    ]));
    expect(await count(ctx, 'projects')).toBe(0);
  });

  it('reads dates as date cells, Excel serials and text in the formats offices type', async () => {
    await createDepartments(ctx);
    const file = await workbook(
      {
        项目: [
          [...header, '计划竣工日期'],
          ['TZ-D1', '日期单元格', '工业投资', 1, 'GXJ', new Date(Date.UTC(2021, 2, 1)), '2021/12/31'],
          ['TZ-D2', '序列数', '工业投资', 1, 'GXJ', 44256, '2021.12.31'],
          ['TZ-D3', '中文日期', '工业投资', 1, 'GXJ', '2021年3月1日', '20211231'],
          ['TZ-D4', '带时间', '工业投资', 1, 'GXJ', '2021-03-01 00:00:00', '2021-12-31'],
        ],
      },
      (book) => {
        book.getWorksheet('项目')!.getColumn(6).numFmt = 'yyyy"年"m"月"d"日"';
      },
    );
    const response = await importFile(ctx, file, XLSX_TYPE);
    expect(response.statusCode, response.body.slice(0, 400)).toBe(201);
    const rows = await select(ctx, sql`select planned_start_date::text as s, planned_completion_date::text as c from projects order by code`);
    expect(rows).toEqual(Array.from({ length: 4 }, () => ({ s: '2021-03-01', c: '2021-12-31' })));
    const bad = await importFile(ctx, await workbook({ 项目: [header, ['TZ-D5', '坏日期', '工业投资', 1, 'GXJ', '2021-02-30']] }), XLSX_TYPE);
    expect(bad.statusCode).toBe(422);
    expect(problemOf(bad).rows).toEqual([{ sheet: '项目', row: 2, column: '计划开工日期', problem: expect.stringContaining('not a date') }]);
  });

  it('refuses a workbook with no sheet it reads, naming the sheets it has', async () => {
    const response = await importFile(ctx, await workbook({ Sheet1: [header], 说明: [['a']] }), XLSX_TYPE);
    expect(response.statusCode).toBe(422);
    expect(problemOf(response)).toMatchObject({ code: 'no_known_sheet', sheets: ['Sheet1', '说明'] });
  });
});

/** The bomb takes a few seconds to deflate and to inflate on a shared machine. */
function slowBomb() {
  return { timeout: 120_000 };
}
