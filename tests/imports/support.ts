import ExcelJS from 'exceljs';
import { deflateRawSync } from 'node:zlib';
import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { TestContext } from '../support/app.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function createDepartments(ctx: TestContext) {
  for (const body of [
    { code: 'GXJ', name: '坦洲镇工业和信息化局', shortName: '工信' },
    { code: 'ZJJ', name: '坦洲镇住房城乡建设和交通局', shortName: '住建' },
  ]) {
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: body });
    expect(response.statusCode).toBe(201);
  }
}

export function importFile(ctx: TestContext, body: Buffer | string, contentType: string, query = '') {
  return ctx.app.inject({ method: 'POST', url: `/v1/imports/projects${query}`, payload: body, headers: { 'content-type': contentType } });
}

/** A workbook of named sheets, each an array of rows (row 1 the header), written by exceljs as Excel would. */
export async function workbook(sheets: Record<string, unknown[][]>, shape?: (book: ExcelJS.Workbook) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = book.addWorksheet(name);
    for (const row of rows) sheet.addRow(row);
  }
  shape?.(book);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export async function select<T = Record<string, unknown>>(ctx: TestContext, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await ctx.testDb.database.db.execute(query);
  return (result as unknown as { rows: T[] }).rows;
}

export const count = async (ctx: TestContext, table: string) =>
  Number((await select<{ n: string }>(ctx, sql.raw(`select count(*) as n from ${table}`)))[0]!.n);

/** A zip of the given members (deflated), as a workbook's container; CRCs left zero (the reader does not check them). */
export function zipOf(members: { name: string; data: Buffer; deflated?: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const member of members) {
    const name = Buffer.from(member.name, 'utf8');
    const data = member.deflated ?? deflateRawSync(member.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(Math.min(member.data.length, 0xfffffffe), 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(Math.min(member.data.length, 0xfffffffe), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The parts of a minimal workbook around one sheet's XML. */
export function minimalWorkbook(sheetName: string, sheetXml: Buffer, deflatedSheet?: Buffer): Buffer {
  const workbookXml = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const rels = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
  return zipOf([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
    { name: 'xl/workbook.xml', data: Buffer.from(workbookXml) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(rels) },
    { name: 'xl/worksheets/sheet1.xml', data: sheetXml, ...(deflatedSheet ? { deflated: deflatedSheet } : {}) },
  ]);
}

/** Excel's serial day of a date (1900 system). */
export function serialOf(date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
}
