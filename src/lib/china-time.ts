import { unprocessable } from './errors.js';

/** UTC offset of China Standard Time (Asia/Shanghai has had no daylight saving since 1991). */
export const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * The calendar date of an instant in China Standard Time, where the office works, whatever the
 * server's zone. Every "today" of the domain comes from here.
 */
export function dateInChina(instant: Date = new Date()): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The one rule for dates of what has happened (an effective date, a resolution, a decision, a visit,
 * a ceremony held, a submission): never after today in China. Each field given is checked; the
 * first in the future is a 422 `date_in_future` naming it. `now` only for tests of the clock.
 */
export function assertHappened(fields: Record<string, string | null | undefined>, now: Date = new Date()): void {
  const today = dateInChina(now);
  for (const [field, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    // An instant (submittedAt) is compared as an instant, a date with today in China.
    const future = value.length > 10 ? Date.parse(value) > now.getTime() : value > today;
    if (future) {
      throw unprocessable('date_in_future', `${field} ${value} lies after today (${today}, China time): record what has happened once it has / ${field} 晚于今天（北京时间），只能记录已发生的事`, {
        field,
        today,
      });
    }
  }
}
