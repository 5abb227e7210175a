import { sql, type SQL } from 'drizzle-orm';
import { periodBounds, periodOfDate, previousPeriod } from '../../domain/periods.js';
import type { WarningRuleKey } from './warnings.rules.js';
import { OVERDUE_ISSUE_IDS_MAX } from './warnings.schemas.js';

export interface RuleSetting {
  enabled: boolean;
  yellow: string;
  red: string | null;
  /** behind_schedule: measured against the year elapsed, or the milestones planned by asOf. */
  schedule?: 'elapsed_time' | 'milestones';
}

export interface EvaluationParams {
  year: number;
  list: string;
  asOf: string;
  rules: Record<WarningRuleKey, RuleSetting>;
  departmentId?: string | undefined;
  leaderId?: string | undefined;
  /** Which reports count: 'submitted' (every report not returned) or 'approved'. */
  basis?: 'submitted' | 'approved' | undefined;
  /** The keyset condition "after the previous page" on (p.code, p.id) (warnings.repository.ts). */
  after?: SQL | undefined;
}

/** The latest half-month period that ended on or before asOf. */
export function lastPeriodEndedBy(asOf: string): string {
  const current = periodOfDate(asOf);
  return periodBounds(current).end === asOf ? current : previousPeriod(current);
}

/** The periods missing_reports looks at, newest first: as many as its larger threshold. */
export function periodsLookedAt(asOf: string, rule: RuleSetting): string[] {
  if (!rule.enabled) return [];
  const depth = Math.max(Number(rule.yellow), Number(rule.red ?? 0));
  const periods = [lastPeriodEndedBy(asOf)];
  while (periods.length < depth) periods.push(previousPeriod(periods[periods.length - 1]!));
  return periods;
}

const threshold = (value: string | null) => (value === null ? sql`null::numeric` : sql`${value}::numeric`);

/** 2 = red, 1 = yellow, 0 = green; a disabled rule or one that does not apply is green. */
function level(rule: RuleSetting, applies: SQL, red: (t: SQL) => SQL, yellow: (t: SQL) => SQL): SQL {
  if (!rule.enabled) return sql`0`;
  return sql`case when not coalesce(${applies}, false) then 0
    when ${red(threshold(rule.red))} then 2 when ${yellow(threshold(rule.yellow))} then 1 else 0 end`;
}

/**
 * The `evaluated` CTE: one row per project of the list and year with every rule's measure and
 * level, set-based. Beside it `factor_lights`: per project and factor guarantee (要素保障, the issue
 * category) of its overdue issues, the overdue_issue rule judged on that factor's issues alone
 * (0 green, 1 yellow, 2 red); the worst of a project's factors is its overdue_issue level. Status, start and completed investment follow metrics.facts.ts (current
 * revisions), so the lights agree with the metrics summary for the same asOf.
 */
export function evaluatedCte(p: EvaluationParams): SQL {
  const yearStart = `${p.year}-01-01`;
  const yearEnd = `${p.year}-12-31`;
  const asOf = sql`${p.asOf}::date`;
  const periods = periodsLookedAt(p.asOf, p.rules.missing_reports);
  const periodRows = periods.length
    ? sql`select * from (values ${sql.join(
        periods.map((code, idx) => sql`(${idx}::int, ${code}::text, ${periodBounds(code).end}::date)`),
        sql`, `,
      )}) as v(idx, period, period_end)`
    : sql`select null::int as idx, null::text as period, null::date as period_end where false`;
  const activeAssignment = sql`la.start_date <= ${asOf} and (la.end_date is null or la.end_date >= ${asOf})`;
  const filters = sql.join(
    [
      p.departmentId ? sql`and p.department_id = ${p.departmentId}::uuid` : sql``,
      p.leaderId
        ? sql`and exists (select 1 from leader_assignments la where la.project_id = p.id and la.leader_id = ${p.leaderId}::uuid and ${activeAssignment})`
        : sql``,
      p.after ? sql`and ${p.after}` : sql``,
    ],
    sql` `,
  );
  // A report counts once it is in on the basis asked (as in the figures): not returned, or approved.
  const counted = (r: SQL) => (p.basis === 'approved' ? sql`${r}.review_status = 'approved'` : sql`${r}.review_status <> 'returned'`);
  const daysInYear = sql`(${yearEnd}::date - ${yearStart}::date + 1)`;
  const { not_started: notStarted, behind_schedule: behind, missing_reports: missing, overdue_issue: overdue, milestone_overdue: milestoneLate } = p.rules;
  // What investment is measured against, as a fraction sched_num / sched_den: the year elapsed, or
  // (schedule = milestones) the project's milestones planned by asOf, for a project that has any.
  const byMilestones = behind.schedule === 'milestones';
  const scheduleNum = byMilestones ? sql`coalesce(mp.planned_count, least(greatest(${asOf} - ${yearStart}::date + 1, 0), ${daysInYear}))` : sql`least(greatest(${asOf} - ${yearStart}::date + 1, 0), ${daysInYear})`;
  const scheduleDen = byMilestones ? sql`coalesce(mp.milestone_count, ${daysInYear})` : daysInYear;
  // gap × sched_den × planned, so the comparison stays exact in numeric.
  const behindTimesDenPlanned = sql`(100 * m.sched_num * m.planned_investment - 100 * m.completed * m.sched_den)`;
  return sql`
    with plan as (
      select ap.project_id, ap.planned_investment, p.code, p.name, p.department_id, p.planned_start_date
      from annual_plans ap
      join projects p on p.id = ap.project_id
      where ap.year = ${p.year} and ap.list = ${p.list} and p.archived_at is null ${filters}
    ),
    status_on as (
      select distinct on (sc.project_id) sc.project_id, sc.to_status
      from project_status_changes sc
      where sc.project_id in (select project_id from plan) and sc.effective_date <= ${asOf}
      order by sc.project_id, sc.effective_date desc, sc.id desc
    ),
    started as (
      select sc.project_id, min(sc.effective_date) as started_on
      from project_status_changes sc
      where sc.project_id in (select project_id from plan) and sc.to_status = 'under_construction' and sc.effective_date <= ${asOf}
      group by sc.project_id
    ),
    completed as (
      select r.project_id, sum(rr.investment_completed) as amount
      from progress_reports r
      join progress_report_revisions rr on rr.report_id = r.id and rr.revision = r.current_revision
      where r.project_id in (select project_id from plan)
        and r.period_start >= ${yearStart}::date and r.period_end <= ${yearEnd}::date and r.period_end <= ${asOf}
        and ${counted(sql`r`)}
      group by r.project_id
    ),
    periods as (${periodRows}),
    missing as (
      select plan.project_id,
        coalesce(min(periods.idx) filter (where r.id is not null or periods.period_end < started.started_on), ${periods.length}::int) as consecutive
      from plan
      join started on started.project_id = plan.project_id
      cross join periods
      left join progress_reports r on r.project_id = plan.project_id and r.period = periods.period and ${counted(sql`r`)}
      group by plan.project_id
    ),
    overdue as (
      select i.project_id, count(*)::int as overdue_count, min(i.due_date) as oldest_due,
        to_json((array_agg(i.id order by i.due_date, i.id))[1:${sql.raw(String(OVERDUE_ISSUE_IDS_MAX))}]) as issue_ids
      from project_issues i
      where i.project_id in (select project_id from plan) and i.raised_on <= ${asOf}
        and i.status <> 'withdrawn' and (i.resolved_on is null or i.resolved_on > ${asOf})
        and i.due_date < ${asOf}
      group by i.project_id
    ),
    overdue_by_factor as (
      select i.project_id, i.category as factor, count(*)::int as overdue_count, min(i.due_date) as oldest_due,
        ${asOf} - min(i.due_date) as days_overdue
      from project_issues i
      where i.project_id in (select project_id from plan) and i.raised_on <= ${asOf}
        and i.status <> 'withdrawn' and (i.resolved_on is null or i.resolved_on > ${asOf})
        and i.due_date < ${asOf}
      group by i.project_id, i.category
    ),
    milestone_plan as (
      select ms.project_id, count(*)::int as milestone_count, (count(*) filter (where ms.planned_date <= ${asOf}))::int as planned_count
      from project_milestones ms
      where ms.project_id in (select project_id from plan)
      group by ms.project_id
    ),
    milestones_late as (
      select ms.project_id, count(*)::int as late_count, min(ms.planned_date) as late_planned,
        (array_agg(ms.id order by ms.planned_date, ms.id))[1] as late_milestone_id,
        (array_agg(ms.kind order by ms.planned_date, ms.id))[1] as late_kind,
        (array_agg(ms.baseline_date order by ms.planned_date, ms.id))[1] as late_baseline
      from project_milestones ms
      where ms.project_id in (select project_id from plan) and ms.planned_date < ${asOf}
        and not coalesce(ms.actual_date <= ${asOf}, false)
      group by ms.project_id
    ),
    active_leaders as (
      select distinct la.project_id, l.id as leader_id, l.name as leader_name
      from leader_assignments la
      join leaders l on l.id = la.leader_id
      where la.project_id in (select project_id from plan) and ${activeAssignment}
    ),
    measured as (
      select plan.*, status_on.to_status as status_on_as_of, started.project_id is not null as has_started,
        coalesce(completed.amount, 0.0000) as completed,
        least(greatest(${asOf} - ${yearStart}::date + 1, 0), ${daysInYear}) as elapsed_days,
        ${asOf} - plan.planned_start_date as days_late,
        missing.consecutive,
        overdue.overdue_count, overdue.oldest_due, overdue.issue_ids, ${asOf} - overdue.oldest_due as days_overdue,
        ${scheduleNum} as sched_num, ${scheduleDen} as sched_den,
        ${byMilestones ? sql`case when mp.milestone_count is null then 'elapsed_time' else 'milestones' end` : sql`'elapsed_time'`} as schedule,
        ml.late_count as milestones_late, ml.late_milestone_id, ml.late_kind, ml.late_planned, ml.late_baseline,
        ${asOf} - ml.late_planned as milestone_days_overdue
      from plan
      left join status_on on status_on.project_id = plan.project_id
      left join started on started.project_id = plan.project_id
      left join completed on completed.project_id = plan.project_id
      left join missing on missing.project_id = plan.project_id
      left join overdue on overdue.project_id = plan.project_id
      left join milestone_plan mp on mp.project_id = plan.project_id
      left join milestones_late ml on ml.project_id = plan.project_id
    ),
    levelled as (
      select m.*,
        ${level(
          notStarted,
          sql`m.planned_start_date is not null and not m.has_started and coalesce(m.status_on_as_of, 'planning') not in ('cancelled', 'completed')`,
          (t) => sql`m.days_late >= ${t}`,
          (t) => sql`m.days_late >= ${t}`,
        )} as not_started_level,
        ${level(
          behind,
          sql`m.planned_investment > 0 and coalesce(m.status_on_as_of, 'planning') <> 'cancelled'`,
          (t) => sql`${behindTimesDenPlanned} > ${t} * m.sched_den * m.planned_investment`,
          (t) => sql`${behindTimesDenPlanned} >= ${t} * m.sched_den * m.planned_investment`,
        )} as behind_schedule_level,
        ${level(
          missing,
          sql`m.status_on_as_of = 'under_construction'`,
          (t) => sql`m.consecutive >= ${t}`,
          (t) => sql`m.consecutive >= ${t}`,
        )} as missing_reports_level,
        ${level(
          overdue,
          sql`m.overdue_count > 0`,
          (t) => sql`m.days_overdue >= ${t}`,
          (t) => sql`m.days_overdue >= ${t}`,
        )} as overdue_issue_level,
        ${level(
          milestoneLate,
          sql`m.milestones_late > 0`,
          (t) => sql`m.milestone_days_overdue >= ${t}`,
          (t) => sql`m.milestone_days_overdue >= ${t}`,
        )} as milestone_overdue_level
      from measured m
    ),
    evaluated as (
      select l.*,
        case greatest(l.not_started_level, l.behind_schedule_level, l.missing_reports_level, l.overdue_issue_level, l.milestone_overdue_level)
          when 2 then 'red' when 1 then 'yellow' else 'green' end as light,
        round(100 * l.completed / nullif(l.planned_investment, 0), 2)::text as completion_pct,
        round(100.0 * l.sched_num / l.sched_den, 2)::text as elapsed_pct,
        round(100.0 * l.sched_num / l.sched_den - 100 * l.completed / nullif(l.planned_investment, 0), 2)::text as gap_points,

        ${daysInYear} as days_in_year
      from levelled l
    ),
    factor_lights as (
      select f.project_id, f.factor, f.overdue_count, f.oldest_due, f.days_overdue,
        ${level(
          overdue,
          sql`f.overdue_count > 0`,
          (t) => sql`f.days_overdue >= ${t}`,
          (t) => sql`f.days_overdue >= ${t}`,
        )} as factor_level
      from overdue_by_factor f
    )`;
}
