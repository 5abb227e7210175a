import { fileNotOfType, xlsxTooLarge } from './imports.errors.js';
import type { Grid } from './imports.grid.js';
import { inflateText, readText, zipEntries, type InflateBudget, type ZipEntry } from './imports.zip.js';

/**
 * A reader of .xlsx workbooks for imports, on node:zlib alone: the zip's central directory, then
 * each worksheet inflated chunk by chunk and cut into rows as the text arrives, so a sheet of
 * 240,000 rows is never held as one string, and a zip bomb stops at the inflate budget.
 * Cells come out as text: shared and inline strings, numbers as JavaScript prints them (Excel's
 * 17-digit noise gone), booleans as TRUE/FALSE, and numbers in a date format as ISO dates (with the
 * time when there is one). A formula or a merged range is a problem at its cell: an import takes
 * values, and a merged range leaves all but one of its cells empty.
 */

/** The most text held at once: one row of a sheet, one shared string, the workbook's own small parts. */
const PART_MAX = 16 * 1024 * 1024;

const notXlsx = (detail: string) => fileNotOfType('an Excel workbook (.xlsx)', `${detail} / 不是有效的 .xlsx 文件`);

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  const plain = text.includes('&')
    ? text.replace(ENTITY, (_, hex?: string, dec?: string, name?: string) =>
        name ? NAMED[name]! : String.fromCodePoint(hex ? parseInt(hex, 16) : Number(dec)))
    : text;
  // Excel writes control characters as _xHHHH_ (a carriage return as _x000D_).
  return plain.includes('_x') ? plain.replace(/_x([0-9a-fA-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : plain;
}

/** A string that owns its characters (V8 keeps substrings as views into their parent). */
const fresh = (text: string) => (text.length === 0 ? '' : Buffer.from(text, 'utf8').toString('utf8'));

const attribute = (attributes: string, name: string) => new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attributes)?.[1];

/** The text of a shared or inline string: its runs' <t>, not the phonetic guide (<rPh>). */
function stringText(xml: string): string {
  const body = xml.includes('<rPh') ? xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : xml;
  let out = '';
  for (const match of body.matchAll(/<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g)) out += match[1] ?? '';
  return unescapeXml(out);
}

/** Built-in number formats that are dates or times (ECMA-376 §18.8.30). */
const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Which cell style indexes (the `s` of a cell) show a number as a date. */
function dateStyles(stylesXml: string): Set<number> {
  const custom = new Set<number>();
  for (const match of stylesXml.matchAll(/<numFmt\b([^>]*)\/?>/g)) {
    const id = Number(attribute(match[1]!, 'numFmtId'));
    // Date codes outside quoted text and brackets ([Red], [$-804]) that are not elapsed-time ([h]).
    const code = unescapeXml(attribute(match[1]!, 'formatCode') ?? '').replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
    if (/[ymd]/i.test(code)) custom.add(id);
  }
  const cellXfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)?.[1] ?? '';
  const styles = new Set<number>();
  let index = 0;
  for (const match of cellXfs.matchAll(/<xf\b([^>]*?)(?:\/>|>[\s\S]*?<\/xf>)/g)) {
    const id = Number(attribute(match[1]!, 'numFmtId') ?? 0);
    if (BUILT_IN_DATES.has(id) || custom.has(id)) styles.add(index);
    index += 1;
  }
  return styles;
}

const DAY_MS = 86_400_000;

/** An Excel serial day as an ISO date, or date and time when it has a fraction (the wall clock the sheet shows). */
export function serialToIso(serial: number, date1904 = false): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return undefined;
  // 1900 system: day 1 is 1900-01-01, with Excel's phantom 1900-02-29 (serial 60): counting from
  // 1899-12-30 is right for every date after February 1900.
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const ms = epoch + Math.round(serial * DAY_MS / 1000) * 1000;
  const iso = new Date(ms).toISOString();
  return Number.isInteger(serial) ? iso.slice(0, 10) : iso.slice(0, 19);
}

const CELL_REF = /^([A-Z]{1,3})(\d+)$/;
function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

interface SheetContext {
  shared: string[];
  dates: Set<number>;
  date1904: boolean;
}

/** The rows of one <sheetData> chunk (complete rows only) into the grid. */
function takeRows(xml: string, grid: Grid, context: SheetContext, rowsMax: number, onTooMany: (count: number) => never) {
  let nextRow = (grid.rows.at(-1)?.row ?? 0) + 1;
  for (const rowMatch of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const rowNumber = Number(attribute(rowMatch[1]!, 'r') ?? nextRow) || nextRow;
    nextRow = rowNumber + 1;
    const body = rowMatch[2];
    if (!body) continue;
    const cells: (string | undefined)[] = [];
    let nextColumn = 0;
    for (const cellMatch of body.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attributes = cellMatch[1]!;
      const ref = CELL_REF.exec(attribute(attributes, 'r') ?? '');
      const column = ref ? columnIndex(ref[1]!) : nextColumn;
      nextColumn = column + 1;
      const inner = cellMatch[2];
      if (!inner) continue;
      if (/<f\b/.test(inner)) {
        grid.cellProblems.push({ row: rowNumber, column, problem: 'the cell holds a formula; paste it as values (选择性粘贴 → 数值) / 单元格含公式，请粘贴为数值' });
        continue;
      }
      const type = attribute(attributes, 't') ?? 'n';
      const raw = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
      let text: string | undefined;
      if (type === 's') text = raw === undefined ? undefined : context.shared[Number(raw)];
      else if (type === 'inlineStr') text = stringText(inner);
      else if (type === 'b') text = raw === '1' ? 'TRUE' : 'FALSE';
      else if (type === 'e') {
        grid.cellProblems.push({ row: rowNumber, column, problem: `the cell holds an error value ${unescapeXml(raw ?? '')} / 单元格为错误值` });
        continue;
      } else if (type === 'n' && raw !== undefined) {
        const number = Number(raw);
        const style = Number(attribute(attributes, 's') ?? -1);
        text = context.dates.has(style) ? (serialToIso(number, context.date1904) ?? String(number)) : String(number);
      } else text = raw === undefined ? undefined : unescapeXml(raw);
      // A copy, not a slice: a regex match keeps the whole chunk of sheet XML it came from alive.
      cells[column] = text === undefined || type === 's' ? text : fresh(text);
    }
    if (grid.header.length === 0 && rowNumber === 1) grid.header = cells.map((c) => c ?? '');
    else if (rowNumber > 1) {
      grid.rows.push({ row: rowNumber, cells });
      if (grid.rows.length > rowsMax) onTooMany(grid.rows.length);
    }
  }
}

/** `A1:C2` → the rows and 0-based columns it spans. */
function rangeOf(ref: string) {
  const [from, to = from] = ref.split(':') as [string, string?];
  const a = CELL_REF.exec(from);
  const b = CELL_REF.exec(to!);
  if (!a || !b) return undefined;
  return { firstRow: Number(a[2]), lastRow: Number(b[2]), firstColumn: columnIndex(a[1]!), lastColumn: columnIndex(b[1]!) };
}

export interface WorkbookSheet {
  name: string;
  read(rowsMax: number, onTooMany: (count: number) => never): Promise<Grid>;
}

/** Opens a workbook: its sheets by name, each read only when asked. */
export async function openWorkbook(zip: Buffer, inflateLimit: number): Promise<WorkbookSheet[]> {
  const entries = zipEntries(zip);
  const budget: InflateBudget = { limit: inflateLimit, used: 0 };
  const entry = (name: string) => entries.get(name) ?? entries.get(name.replace(/^\//, ''));
  const workbookEntry = entry('xl/workbook.xml');
  if (!workbookEntry) throw notXlsx('the zip holds no xl/workbook.xml (is it an .xls, .docx or .ods saved as .xlsx?)');
  const workbookXml = await readText(zip, workbookEntry, budget, PART_MAX);
  const relsEntry = entry('xl/_rels/workbook.xml.rels');
  const rels = relsEntry ? await readText(zip, relsEntry, budget, PART_MAX) : '';
  const targets = new Map<string, string>();
  for (const match of rels.matchAll(/<Relationship\b([^>]*)\/?>/g)) {
    const id = attribute(match[1]!, 'Id');
    const target = attribute(match[1]!, 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const stylesEntry = entry('xl/styles.xml');
  const sharedEntry = entry('xl/sharedStrings.xml');
  let context: SheetContext | undefined;
  async function contextOf(): Promise<SheetContext> {
    if (context) return context;
    const shared: string[] = [];
    if (sharedEntry) {
      let carry = '';
      await inflateText(zip, sharedEntry, budget, (text) => {
        carry += text;
        const end = carry.lastIndexOf('</si>');
        if (end < 0) {
          if (carry.length > PART_MAX) throw xlsxTooLarge(PART_MAX, 'has a shared string of more than 16 MB');
          return;
        }
        for (const match of carry.slice(0, end + 5).matchAll(/<si\b[^>]*?(?:\/>|>([\s\S]*?)<\/si>)/g)) shared.push(fresh(stringText(match[1] ?? '')));
        carry = carry.slice(end + 5);
      });
    }
    const dates = stylesEntry ? dateStyles(await readText(zip, stylesEntry, budget, PART_MAX)) : new Set<number>();
    context = { shared, dates, date1904: /<workbookPr\b[^>]*date1904="(1|true)"/.test(workbookXml) };
    return context;
  }

  const sheets: WorkbookSheet[] = [];
  for (const match of workbookXml.matchAll(/<sheet\b([^>]*)\/?>/g)) {
    const name = unescapeXml(attribute(match[1]!, 'name') ?? '');
    const id = /\br:id="([^"]*)"|\bid="([^"]*)"/.exec(match[1]!);
    const path = targets.get(id?.[1] ?? id?.[2] ?? '');
    const sheetEntry: ZipEntry | undefined = path ? entry(path) : undefined;
    sheets.push({
      name,
      async read(rowsMax, onTooMany) {
        if (!sheetEntry) throw notXlsx(`the sheet "${name}" has no worksheet part`);
        const ctx = await contextOf();
        const grid: Grid = { sheet: name, header: [], rows: [], cellProblems: [] };
        let carry = '';
        await inflateText(zip, sheetEntry, budget, (text) => {
          carry += text;
          const cut = carry.lastIndexOf('</row>');
          if (cut < 0) {
            if (carry.length > PART_MAX) throw xlsxTooLarge(PART_MAX, `has a row of more than ${PART_MAX} characters in "${name}"`);
            return;
          }
          takeRows(carry.slice(0, cut + 6), grid, ctx, rowsMax, onTooMany);
          carry = carry.slice(cut + 6);
        });
        takeRows(carry, grid, ctx, rowsMax, onTooMany);
        // <mergeCells> follows <sheetData>: it is in what remains after the last row.
        for (const merge of carry.matchAll(/<mergeCell\b[^>]*\bref="([^"]+)"/g)) {
          const range = rangeOf(merge[1]!);
          if (!range) continue;
          grid.cellProblems.push({
            row: range.firstRow,
            column: range.firstColumn,
            problem: `cells ${merge[1]} are merged; unmerge them and fill every cell (取消合并并填满每个单元格) / 合并单元格无法导入`,
          });
        }
        return grid;
      },
    });
  }
  if (sheets.length === 0) throw notXlsx('the workbook lists no sheets');
  return sheets;
}
