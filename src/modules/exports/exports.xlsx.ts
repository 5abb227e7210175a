import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import { typedOf, type CellKind, type Sheet, type TypedCell } from './exports.sheet.js';

const numberFormats: Partial<Record<CellKind, string>> = {
  // 2 decimals on screen, as the office prints its amounts; the cell keeps the exact value.
  money: '#,##0.00',
  integer: '0',
  rate: '0.00%',
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

/** Display width of a text in Excel's character units: a CJK character takes about two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
  return width;
}

/**
 * The header row's height for its wrapped text: Excel and LibreOffice do not grow a row written
 * without a height, so a wrapped header would print over the first data row.
 */
function headerHeight(sheet: Sheet): number {
  const lines = Math.max(
    1,
    ...sheet.columns.map((c) => c.header.split(' / ').reduce((n, part) => n + Math.ceil(displayWidth(part) / Math.max(1, c.width - 1)), 0)),
  );
  return Math.min(409, lines * 15 + 6);
}

/** A4 landscape, every column on one page's width, the header row repeated on each printed page. */
const printSetup = {
  paperSize: 9,
  orientation: 'landscape' as const,
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  printTitlesRow: '1:1',
  horizontalCentered: true,
  margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
};

/** One data sheet: header row bold, wrapped, frozen and repeated in print; typed cells; column widths. */
function writeSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: Sheet) {
  const data = workbook.addWorksheet(sheet.name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: printSetup,
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页 / Page &P of &N' },
  });
  data.columns = sheet.columns.map((c) => ({ width: c.width }));
  // Chinese above English in the header cell: the office reads the first line.
  const header = data.addRow(sheet.columns.map((c) => c.header.replace(' / ', '\n')));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.height = headerHeight(sheet);
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
}

/** The data sheets of a file and a "说明" sheet saying what they hold. */
export async function toXlsx(sheet: Sheet, more: Sheet[] = []): Promise<Buffer> {
  // exceljs weighs ~28 MB of memory once loaded: only a spreadsheet download loads it.
  const { default: ExcelJS } = await import('exceljs');
  const stream = new PassThrough();
  const done = collect(stream);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true });
  workbook.creator = 'kpo';
  for (const data of [sheet, ...more]) writeSheet(workbook, data);

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
