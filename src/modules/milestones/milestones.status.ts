import { sql, type SQL } from 'drizzle-orm';

/** How far ahead a milestone counts as due: the next half-month, by when the next report is in. */
export const DUE_WITHIN_DAYS = 15;

export type MilestoneStatus = 'pending' | 'due' | 'achieved' | 'late' | 'achieved_late';

export interface MilestoneDates {
  plannedDate: string;
  actualDate: string | null;
}

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * A milestone's status on `day`, from its dates as they stand (the same rule as statusSql):
 * achieved (on or before its planned date) or achieved_late once its actual date has come; else late
 * once its planned date has passed, due when it is planned within DUE_WITHIN_DAYS, pending otherwise.
 */
export function statusOn(m: MilestoneDates, day: string): MilestoneStatus {
  if (m.actualDate !== null && m.actualDate <= day) return m.actualDate <= m.plannedDate ? 'achieved' : 'achieved_late';
  if (m.plannedDate < day) return 'late';
  return m.plannedDate <= addDays(day, DUE_WITHIN_DAYS) ? 'due' : 'pending';
}

/** Days a milestone is behind its planned date on `day`: to its achievement, or to `day` while late; 0 otherwise. */
export function delayDaysOn(m: MilestoneDates, day: string): number {
  const achievedBy = m.actualDate !== null && m.actualDate <= day ? m.actualDate : null;
  return Math.max(0, daysBetween(m.plannedDate, achievedBy ?? day));
}

/** statusOn in SQL, over a milestones row `m` and a date expression. */
export function statusSql(m: SQL, day: SQL): SQL {
  return sql`case
    when ${m}.actual_date is not null and ${m}.actual_date <= ${day} then
      case when ${m}.actual_date <= ${m}.planned_date then 'achieved' else 'achieved_late' end
    when ${m}.planned_date < ${day} then 'late'
    when ${m}.planned_date <= ${day} + ${DUE_WITHIN_DAYS}::int then 'due'
    else 'pending' end`;
}

/**
 * A project's schedule progress on `day` (序时进度): the share of its milestones planned by then and
 * the share achieved by then, its largest delay, and the next milestone not yet achieved.
 */
export function scheduleOn<M extends MilestoneDates & { id: string }>(milestones: M[], day: string) {
  const total = milestones.length;
  const planned = milestones.filter((m) => m.plannedDate <= day).length;
  const achieved = milestones.filter((m) => m.actualDate !== null && m.actualDate <= day).length;
  const open = milestones
    .filter((m) => !(m.actualDate !== null && m.actualDate <= day))
    .sort((a, b) => (a.plannedDate < b.plannedDate ? -1 : a.plannedDate > b.plannedDate ? 1 : a.id < b.id ? -1 : 1));
  const ratio = (n: number) => (total === 0 ? null : Math.round((n / total) * 1e6) / 1e6);
  return {
    milestoneCount: total,
    plannedCount: planned,
    achievedCount: achieved,
    plannedShare: ratio(planned),
    achievedShare: ratio(achieved),
    delayDays: milestones.reduce((max, m) => Math.max(max, delayDaysOn(m, day)), 0),
    nextMilestoneId: open[0]?.id ?? null,
  };
}
