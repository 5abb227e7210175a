import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import { typedOf, type CellKind, type Sheet, type TypedCell } from './exports.sheet.js';

const numberFormats: Partial<Record<CellKind, string>> = {
  money: '#,##0.0000',
  integer: '0',
  rate: '0.00%',
  decimal: '0.00',
  date: 'yyyy-mm-dd',
};

/**
 * The spreadsheet boundary, and the only place money becomes a JS number: an XLSX number cell is an
 * IEEE double by definition, and Excel's SUM needs number cells. Amounts in 万元 below 10^11 with 4
 * fraction digits are exact to the yuan in a double; every sum is still done in SQL and the JSON API.
 */
function valueOf({ kind, value }: TypedCell): ExcelJS.CellValue {
  if (value === null) return null;
  switch (kind) {
    case 'money':
    case 'integer':
    case 'rate':
    case 'decimal':
      return Number(value);
    case 'date': {
      const [y, m, d] = String(value).split('-').map(Number) as [number, number, number];
      // Midnight UTC: exceljs turns a Date into an Excel serial day on UTC, so the day cannot shift.
      return new Date(Date.UTC(y, m - 1, d));
    }
    case 'text':
      // A string cell is never evaluated as a formula in XLSX, so text is kept exactly as recorded.
      return String(value);
  }
}

async function collect(stream: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** One data sheet (header row bold and frozen, typed cells, column widths) and a "说明" sheet. */
export async function toXlsx(sheet: Sheet): Promise<Buffer> {
  // exceljs weighs ~28 MB of memory once loaded: only a spreadsheet download loads it.
  const { default: ExcelJS } = await import('exceljs');
  const stream = new PassThrough();
  const done = collect(stream);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true });
  workbook.creator = 'kpo';

  const data = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  data.columns = sheet.columns.map((c) => ({ width: c.width }));
  const header = data.addRow(sheet.columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.commit();
  for (const cells of sheet.rows) {
    const row = data.addRow([]);
    sheet.columns.forEach((column, i) => {
      const typed = typedOf(cells[i] ?? null, column);
      const cell = row.getCell(i + 1);
      cell.value = valueOf(typed);
      const format = numberFormats[typed.kind];
      if (format && typed.value !== null) cell.numFmt = format;
    });
    row.commit();
  }
  data.commit();

  const about = workbook.addWorksheet('说明', { views: [{ state: 'frozen', ySplit: 1 }] });
  about.columns = [{ width: 28 }, { width: 100 }];
  const aboutHeader = about.addRow(['项目 / Item', '内容 / Value']);
  aboutHeader.font = { bold: true };
  aboutHeader.commit();
  for (const line of sheet.about) about.addRow(line).commit();
  about.commit();

  await workbook.commit();
  return done;
}
