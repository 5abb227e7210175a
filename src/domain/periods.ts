/**
 * Half-month reporting periods (半月报): 'YYYY-MM-H1' covers the 1st–15th, 'YYYY-MM-H2' the 16th to
 * the month's end. Pure calendar arithmetic on 'YYYY-MM-DD' strings (China Standard Time dates),
 * shared by the reports and metrics modules.
 */

export const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])-H([12])$/;

export interface Period {
  year: number;
  month: number;
  half: 1 | 2;
}

export interface PeriodBounds {
  start: string;
  end: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function dateOf(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The period a code names, or undefined when the code is malformed. */
export function parsePeriod(code: string): Period | undefined {
  const match = PERIOD_PATTERN.exec(code);
  if (!match) return undefined;
  return { year: Number(match[1]), month: Number(match[2]), half: match[3] === '1' ? 1 : 2 };
}

function mustParse(code: string): Period {
  const period = parsePeriod(code);
  if (!period) throw new RangeError(`not a period code: ${code}`);
  return period;
}

export function formatPeriod({ year, month, half }: Period): string {
  return `${pad(year, 4)}-${pad(month)}-H${half}`;
}

/** First and last day of a period, inclusive. */
export function periodBounds(code: string): PeriodBounds {
  const { year, month, half } = mustParse(code);
  return half === 1
    ? { start: dateOf(year, month, 1), end: dateOf(year, month, 15) }
    : { start: dateOf(year, month, 16), end: dateOf(year, month, daysInMonth(year, month)) };
}

/** The period a calendar date 'YYYY-MM-DD' falls in. */
export function periodOfDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return formatPeriod({ year, month, half: day <= 15 ? 1 : 2 });
}

export function nextPeriod(code: string): string {
  const { year, month, half } = mustParse(code);
  if (half === 1) return formatPeriod({ year, month, half: 2 });
  return month === 12 ? formatPeriod({ year: year + 1, month: 1, half: 1 }) : formatPeriod({ year, month: month + 1, half: 1 });
}

export function previousPeriod(code: string): string {
  const { year, month, half } = mustParse(code);
  if (half === 2) return formatPeriod({ year, month, half: 1 });
  return month === 1 ? formatPeriod({ year: year - 1, month: 12, half: 2 }) : formatPeriod({ year, month: month - 1, half: 2 });
}

/** Every period that overlaps the inclusive date range [from, to], oldest first; empty when from > to. */
export function periodsBetween(from: string, to: string): string[] {
  if (from > to) return [];
  const last = periodOfDate(to);
  const periods: string[] = [];
  for (let code = periodOfDate(from); ; code = nextPeriod(code)) {
    periods.push(code);
    if (code === last) return periods;
  }
}

/** 'YYYY-MM-DD' plus a number of days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The day a period's report is due: `dueDays` days after the period ends. */
export function dueDateOf(code: string, dueDays: number): string {
  return addDays(periodBounds(code).end, dueDays);
}

/**
 * A report is late when it arrives after the end of its due day in Asia/Shanghai, i.e. at or after
 * 00:00 CST of the following day (16:00 UTC of the due day).
 */
export function isLate(submittedAt: Date, dueDate: string): boolean {
  return submittedAt.getTime() >= lateFrom(dueDate);
}

/** The instant (ms) from which a report of this due date is late: 00:00 CST of the day after. */
export function lateFrom(dueDate: string): number {
  return Date.parse(`${addDays(dueDate, 1)}T00:00:00+08:00`);
}
