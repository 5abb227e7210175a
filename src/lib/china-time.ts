/** UTC offset of China Standard Time (Asia/Shanghai has had no daylight saving since 1991). */
export const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * The calendar date of an instant in China Standard Time, where the office works, whatever the
 * server's zone. Every "today" of the domain comes from here.
 */
export function dateInChina(instant: Date = new Date()): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}
