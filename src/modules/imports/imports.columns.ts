import {
  issueCategory,
  issueHandlingMode,
  issueSource,
  issueStatus,
  leaderRole,
  milestoneKind,
  planList,
  planStage,
  projectCategory,
  projectStatus,
  type Label,
} from '../../domain/codes.js';
import { CST_OFFSET_MS } from '../../lib/china-time.js';
import { serialToIso } from './imports.xlsx.js';

/** A code list accepts its code, its Chinese label or its English label. */
function codeLookup(labels: Record<string, Label>, aliases: Record<string, string> = {}) {
  const map = new Map<string, string>(Object.entries(aliases));
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
export const statusOf = codeLookup(projectStatus.labels, {
  谋划: 'planning', 前期: 'planning', 审批: 'approved', 建设中: 'under_construction', 施工中: 'under_construction',
  续建: 'under_construction', 暂停: 'suspended', 已竣工: 'completed', 完工: 'completed', 已取消: 'cancelled',
});
export const leaderRoleOf = codeLookup(leaderRole.labels);
export const milestoneKindOf = codeLookup(milestoneKind.labels);
export const issueCategoryOf = codeLookup(issueCategory.labels);
export const issueSourceOf = codeLookup(issueSource.labels);
export const handlingModeOf = codeLookup(issueHandlingMode.labels);
export const issueStatusOf = codeLookup(issueStatus.labels);

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

const SERIAL = /^\d{4,5}(\.\d+)?$/;

/**
 * YYYY-MM-DD, or as Excel in a Chinese locale saves it: 2022/3/1, 2022.3.1, 2022年3月1日, 20220301,
 * with or without a midnight time (2022-03-01 00:00:00), or an Excel serial day (44621) where a
 * spreadsheet's date format was lost.
 */
export function parseDate(raw: string): Parsed<string> {
  const text = raw.trim();
  const problem = `"${raw}" is not a date like 2022-03-31 / 不是有效日期（如 2022-03-31）`;
  if (SERIAL.test(text) && !/^\d{8}$/.test(text)) {
    const iso = Number.isInteger(Number(text)) ? serialToIso(Number(text)) : undefined;
    return iso ? { ok: true, value: iso } : { ok: false, problem };
  }
  const match = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?$/.exec(text);
  if (!match) return { ok: false, problem };
  const [year, month, day] = [Number(match[1]), Number(match[2] ?? match[4]), Number(match[3] ?? match[5])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, problem };
  }
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

/**
 * An instant: ISO 8601 with an offset, or a date with an optional time of day (2022-04-02 08:30,
 * 2022/4/2 8:30:15) read on China's wall clock, as the office's sheets write it, or an Excel serial.
 */
export function parseInstant(raw: string): Parsed<string> {
  const text = raw.trim();
  const problem = `"${raw}" is not a time like 2022-04-02 08:30 (China time) or 2022-04-02T08:30:00+08:00 / 不是有效时间`;
  if (SERIAL.test(text)) {
    const iso = serialToIso(Number(text));
    return iso ? parseInstant(iso) : { ok: false, problem };
  }
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text) && /^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? { ok: false, problem } : { ok: true, value: new Date(ms).toISOString() };
  }
  const match = /^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!match) return { ok: false, problem };
  const date = parseDate(match[1]!);
  if (!date.ok) return { ok: false, problem };
  const [hours, minutes, seconds] = [Number(match[2] ?? 0), Number(match[3] ?? 0), Number(match[4] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return { ok: false, problem };
  const [y, m, d] = date.value.split('-').map(Number) as [number, number, number];
  return { ok: true, value: new Date(Date.UTC(y, m - 1, d, hours, minutes, seconds) - CST_OFFSET_MS).toISOString() };
}

const TRUE = new Set(['是', 'y', 'yes', 'true', '1', '在建', '施工', '√', '✓']);
const FALSE = new Set(['否', 'n', 'no', 'false', '0', '停工', '未施工', '×', '✗']);

export function parseBoolean(raw: string): Parsed<boolean> {
  const text = raw.trim().toLowerCase();
  if (TRUE.has(text)) return { ok: true, value: true };
  if (FALSE.has(text)) return { ok: true, value: false };
  return { ok: false, problem: `"${raw}" is not yes or no (是/否) / 应填“是”或“否”` };
}

/** Physical progress in percent: 35, 35%, 35.5 %; a fraction cell of Excel's percent format (0.355) when it says so. */
export function parsePercent(raw: string): Parsed<string> {
  const text = raw.trim().replace(/\s*[%％]$/, '');
  const match = /^\d{1,3}(\.\d{1,2})?$/.exec(text);
  if (!match || Number(text) > 100) return { ok: false, problem: `"${raw}" is not a percentage between 0 and 100 with at most 2 decimals / 形象进度应为0至100之间的百分数` };
  return { ok: true, value: text };
}

export function parseYear(raw: string): Parsed<number> {
  const text = raw.trim().replace(/年$/, '');
  const year = Number(text);
  if (!/^\d{4}$/.test(text) || year < 2000 || year > 2100) {
    return { ok: false, problem: `"${raw}" is not a year between 2000 and 2100 / 年度应为2000至2100之间的年份` };
  }
  return { ok: true, value: year };
}
