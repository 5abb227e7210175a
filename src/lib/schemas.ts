import { z } from 'zod';
import type { Label } from '../domain/codes.js';
import { dateInChina } from './china-time.js';
import { badRequest } from './errors.js';

/** Money in 万元 as a decimal string, at most 4 fraction digits (exact to the yuan). Never a float. */
export const moneySchema = z
  .string()
  .max(19)
  .regex(/^\d{1,14}(\.\d{1,4})?$/, 'must be a decimal string in 万元 with at most 4 fraction digits, e.g. "48000.0000"')
  .meta({
    id: 'Money',
    description: 'Amount in 万元 (ten thousand yuan) as a decimal string, exact to the yuan / 金额（万元，十进制字符串，最多4位小数）',
    example: '48000.0000',
  });

export const dateSchema = z.iso.date().max(10).meta({
  id: 'Date',
  description: 'Calendar date YYYY-MM-DD (China Standard Time) / 日期',
  example: '2022-03-31',
});

/** At most 27 characters: '2022-04-02T08:30:00.123456Z' (src/db/columns.ts keeps PostgreSQL's microseconds). */
export const timestampSchema = z.string().max(32).meta({
  id: 'Timestamp',
  description: 'UTC timestamp, ISO 8601 / UTC 时间戳',
  example: '2022-04-02T08:30:00.000Z',
});

export const idSchema = z.uuid().max(36).meta({
  id: 'Id',
  description: 'Record id (UUIDv7) / 记录编号',
  example: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
});

export const idParamsSchema = z.strictObject({ id: idSchema.describe('Id of the record, from its list or its Location header / 记录编号（见列表或 Location 响应头）') });

/**
 * An integer in a path or query string: plain decimal digits only. z.coerce.number() would take
 * `0x10`, `1e2`, `+5`, ` 50` and `0b11` (Number() does); here anything but digits stays a string and
 * fails as one (400). The document still shows an integer with its bounds; give a default with
 * `.prefault(n)` (the document shows it; `.default` after a preprocess would not).
 */
export function decimalInteger(min: number, max: number) {
  return z.preprocess((value) => (typeof value === 'string' && /^[0-9]{1,16}$/.test(value) ? Number(value) : value), z.int().min(min).max(max));
}

export const yearSchema = decimalInteger(2000, 2100).meta({ description: 'Year / 年度', example: 2022 });

/** A zod enum from a code list, its Chinese and English labels in the description and `x-enum-labels`. */
export function codeEnum<T extends Record<string, Label>>(
  list: { labels: T; values: [keyof T & string, ...(keyof T & string)[]] },
  id: string,
  description: string,
) {
  const lines = Object.entries(list.labels).map(([code, l]) => `- \`${code}\`: ${l.zh} / ${l.en}`);
  return z.enum(list.values).meta({
    id,
    description: `${description}\n\n${lines.join('\n')}`,
    'x-enum-labels': list.labels,
  });
}

export const nullableText = (max: number) => z.string().trim().max(max).nullable();

/** An instant as a query parameter takes it (audit's from/to, reports' submittedAt, knownAt): at most 64 characters. */
export const INSTANT_MAX = 64;

/**
 * `knownAt`: answer from the records as the service knew them at this instant (transaction time, the
 * versions kept in history), not as they are now. An instant in the future is refused (400): nothing
 * is known of it yet.
 */
export const knownAtSchema = z.iso
  .datetime({ offset: true })
  .max(INSTANT_MAX)
  .refine((value) => Date.parse(value) <= Date.now(), 'knownAt must not be in the future / knownAt 不能晚于当前时间')
  .describe(
    'Answer from the records as they were known at this instant (ISO 8601 with offset): every later creation, change, deletion, archiving or correction is left out, so a published answer can be reproduced exactly. Must not be in the future. / 按该时刻系统所知的记录作答（ISO 8601，含时区）：其后的新增、修改、删除、归档与更正均不计入，用于精确重现已发布的数字；不得晚于当前时间。',
  );

/** The as-of date a figure takes when none is given: today in China, or the day of `knownAt` (the day it was asked then). */
export function asOfDefault(asOf: string | undefined, knownAt: string | undefined): string {
  return asOf ?? dateInChina(knownAt ? new Date(knownAt) : new Date());
}

/**
 * The figures of a year (summary, breakdowns, warning lights) asked as of a day before the year began
 * would all be zero: a mistaken question, a 400 naming asOf. After the year, asOf means the year's
 * final figures (reports of late December and later corrections counted).
 */
export function assertAsOfInYear(year: number, asOf: string | undefined): void {
  if (asOf !== undefined && asOf < `${year}-01-01`) {
    throw badRequest('as_of_before_year', `asOf ${asOf} is before ${year} began: the figures of ${year} are asked as of a day in or after it / 统计日早于该年度`, {
      parameter: 'asOf',
    });
  }
}
