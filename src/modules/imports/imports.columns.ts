import { planList, planStage, projectCategory, type Label } from '../../domain/codes.js';

/** The fields of one import row; a spreadsheet names them in Chinese or in English. */
export const importFields = [
  'code',
  'name',
  'ownerUnit',
  'category',
  'industry',
  'location',
  'description',
  'estimatedInvestment',
  'plannedStartDate',
  'plannedCompletionDate',
  'department',
  'year',
  'list',
  'stage',
  'plannedInvestment',
] as const;

export type ImportField = (typeof importFields)[number];

/** Chinese headers as the office's spreadsheets write them (first one is the canonical header). */
export const chineseHeaders: Record<ImportField, string[]> = {
  code: ['项目编号', '项目代码'],
  name: ['项目名称'],
  ownerUnit: ['项目单位', '建设单位'],
  category: ['项目类别'],
  industry: ['所属行业', '行业'],
  location: ['建设地点'],
  description: ['建设内容', '项目简介'],
  estimatedInvestment: ['估算总投资（万元）', '估算总投资'],
  plannedStartDate: ['计划开工日期', '计划开工时间'],
  plannedCompletionDate: ['计划竣工日期', '计划竣工时间'],
  department: ['责任部门', '责任单位'],
  year: ['年度'],
  list: ['名单', '名单类别'],
  stage: ['阶段', '建设阶段'],
  plannedInvestment: ['年度计划投资（万元）', '年度计划投资'],
};

/** Header text compared without spaces, case or the difference between full- and half-width brackets. */
function headerKey(header: string): string {
  return header.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').toLowerCase();
}

const fieldByHeader = new Map<string, ImportField>();
for (const field of importFields) {
  fieldByHeader.set(headerKey(field), field);
  for (const zh of chineseHeaders[field]) {
    fieldByHeader.set(headerKey(zh), field);
    fieldByHeader.set(headerKey(zh.replace(/（万元）$/, '(万元)')), field);
  }
}

export function fieldOfHeader(header: string): ImportField | undefined {
  return fieldByHeader.get(headerKey(header));
}

/** A code list accepts its code, its Chinese label or its English label. */
function codeLookup(labels: Record<string, Label>) {
  const map = new Map<string, string>();
  for (const [code, label] of Object.entries(labels)) {
    map.set(code.toLowerCase(), code);
    map.set(label.zh, code);
    map.set(label.en.toLowerCase(), code);
  }
  return (value: string) => map.get(value) ?? map.get(value.toLowerCase());
}

export const categoryOf = codeLookup(projectCategory.labels);
export const listOf = codeLookup(planList.labels);
export const stageOf = codeLookup(planStage.labels);

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const THOUSANDS_GROUPED = /^\d{1,3}(,\d{3})+(\.\d+)?$/;

/**
 * An amount in 万元 as Excel shows it ('12,345.67', '1 234.5') to a plain decimal string, by text
 * only: a float would lose the yuan.
 */
export function parseAmount(raw: string): Parsed<string> {
  let text = raw.replace(/[\s\u00a0\u2009\u202f]/g, '');
  if (THOUSANDS_GROUPED.test(text)) text = text.replace(/,/g, '');
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return { ok: false, problem: `"${raw}" is not a non-negative amount in 万元 / 不是有效的金额（万元）` };
  const [, whole = '', fraction] = match;
  if (fraction && fraction.length > 4) {
    return { ok: false, problem: `"${raw}" has more than 4 fraction digits / 小数位超过4位` };
  }
  const integer = whole.replace(/^0+(?=\d)/, '');
  if (integer.length > 14) return { ok: false, problem: `"${raw}" is too large / 金额过大` };
  return { ok: true, value: fraction ? `${integer}.${fraction}` : integer };
}

/** YYYY-MM-DD, or as Excel in a Chinese locale saves it: 2022/3/1, 2022.3.1, 2022年3月1日. */
export function parseDate(raw: string): Parsed<string> {
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(raw.trim());
  const problem = `"${raw}" is not a date like 2022-03-31 / 不是有效日期（如 2022-03-31）`;
  if (!match) return { ok: false, problem };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, problem };
  }
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

export function parseYear(raw: string): Parsed<number> {
  const text = raw.trim().replace(/年$/, '');
  const year = Number(text);
  if (!/^\d{4}$/.test(text) || year < 2000 || year > 2100) {
    return { ok: false, problem: `"${raw}" is not a year between 2000 and 2100 / 年度应为2000至2100之间的年份` };
  }
  return { ok: true, value: year };
}
