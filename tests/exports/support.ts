import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { writeDemo } from '../../src/cli/demo/write-demo.js';
import type { TestContext } from '../support/app.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The Tanzhou demo: city_key 2022 as of 2022-03-31 has 12 projects, 747100.0000 estimated, 29000.0000 completed. */
export function seedDemo(ctx: TestContext) {
  return writeDemo(ctx.testDb.database.db, { reportDueDays: 3 });
}

export async function download(ctx: TestContext, url: string): Promise<LightMyRequestResponse> {
  const response = await ctx.app.inject({ method: 'GET', url });
  expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200);
  return response;
}

/** Rows of a CSV body as objects keyed by header, after checking the BOM and CRLF line ends. */
export function csvRecords(response: LightMyRequestResponse): Record<string, string>[] {
  const bytes = response.rawPayload;
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.indexOf('\n')).toBe(text.indexOf('\r\n') + 1);
  return parse(text, { bom: true, columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
}

export async function workbookOf(response: LightMyRequestResponse): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // exceljs declares its own Buffer type; the bytes are what it wrote.
  await workbook.xlsx.load(response.rawPayload as unknown as ExcelJS.Buffer);
  return workbook;
}

/** The column number (1-based) of the header that starts with `zh`. */
export function columnOf(sheet: ExcelJS.Worksheet, zh: string): number {
  // The XLSX header cell prints Chinese above English; the CSV's one line says "中文 / English".
  const headers = Array.from(sheet.getRow(1).values as unknown[], (v) => String(v ?? '').replace('\n', ' / '));
  const index = headers.findIndex((h) => h.startsWith(zh));
  expect(index, `column ${zh} in ${headers.join('|')}`).toBeGreaterThan(0);
  return index;
}

/** The numbers of one column below the header; fails on any cell that is not a number. */
export function numbersIn(sheet: ExcelJS.Worksheet, column: number): number[] {
  const values: number[] = [];
  for (let r = 2; r <= sheet.rowCount; r += 1) {
    const cell = sheet.getRow(r).getCell(column);
    expect(cell.type, `row ${r}`).toBe(ExcelJS.ValueType.Number);
    values.push(cell.value as number);
  }
  return values;
}

/** Sum of the spreadsheet numbers, shown to the 4 places of 万元 (the yuan). */
export function sum4(values: number[]): string {
  return values.reduce((a, b) => a + b, 0).toFixed(4);
}
