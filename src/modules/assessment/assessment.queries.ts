import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/rows.js';
import type { Executor } from '../../db/types.js';
import type { issueCategory } from '../../domain/codes.js';
import { addDays, dueDateOf, periodBounds, periodsBetween } from '../../domain/periods.js';
import type { AssessmentRuleKey } from './assessment.table.js';

/** One record a rule counted: which, for which project, due when, and whether it met the rule. */
export interface Input {
  department_id: string;
  record_type: string;
  id: string | null;
  project_id: string | null;
  period: string | null;
  due: string;
  met: boolean;
  /** An issue's factor guarantee (its category); null for other records. */
  factor: (typeof issueCategory.values)[number] | null;
}

export interface Window {
  from: string;
  to: string;
  asOf: string;
  dueDays: number;
}

const ACTIVE = sql`('under_construction', 'suspended')`;
const day = (column: string) => sql.raw(`to_char(${column}, 'YYYY-MM-DD')`);

/**
 * The records each rule counts, per department (assessment.rules.ts says what each counts). These
 * tables are read by name so that readKnownAt's search_path turns them into their versions of then.
 */
export async function assessmentInputs(executor: Executor, w: Window): Promise<Record<AssessmentRuleKey, Input[]>> {
  // Items are due on a day of the window before asOf: their deadline has passed on the day judged.
  const last = [w.to, addDays(w.asOf, -1)].sort()[0]!;
  const periods = periodsBetween(w.from, w.to)
    .filter((p) => periodBounds(p).end >= w.from && periodBounds(p).end <= w.to)
    .map((p) => ({ code: p, start: periodBounds(p).start, end: periodBounds(p).end, due: dueDateOf(p, w.dueDays) }))
    .filter((p) => p.due < w.asOf);
  // The end of asOf in China: what was submitted by then.
  const asOfEnd = sql`((${w.asOf}::date + 1)::timestamp - interval '8 hours') at time zone 'UTC'`;
  const reports = await rowsOf<Input & { returned: boolean }>(
    executor,
    sql`with periods as (
          select p.code, p.start::date as start, p."end"::date as "end", p.due::date as due
          from json_to_recordset(${JSON.stringify(periods)}::json) as p(code text, start text, "end" text, due text)
        ), scope as (
          select pr.id as project_id, pr.department_id, pe.code as period, pe.due
          from periods pe
          join projects pr on pr.archived_at is null
          where exists (select 1 from annual_plans ap where ap.project_id = pr.id and ap.year = extract(year from pe.start)::int)
            and ((select sc.to_status from project_status_changes sc
                   where sc.project_id = pr.id and sc.effective_date <= pe.start
                   order by sc.effective_date desc, sc.id desc limit 1) in ${ACTIVE}
              or exists (select 1 from project_status_changes sc
                   where sc.project_id = pr.id and sc.effective_date > pe.start and sc.effective_date <= pe."end" and sc.to_status in ${ACTIVE}))
        )
        select s.department_id::text as department_id, 'progress_report' as record_type, r.id::text as id, s.project_id::text as project_id,
          s.period, ${day('s.due')} as due, null as factor,
          coalesce(r.submitted_at <= ${asOfEnd} and r.review_status <> 'returned' and not r.late
            and not coalesce(r.resubmitted_at > ((r.due_date + 1)::timestamp - interval '8 hours') at time zone 'UTC', false), false) as met,
          coalesce(r.return_reason is not null and r.submitted_at <= ${asOfEnd}, false) as returned
        from scope s left join progress_reports r on r.project_id = s.project_id and r.period = s.period
        order by s.department_id, s.period, s.project_id`,
  );
  const issues = await rowsOf<Input>(
    executor,
    sql`select i.assigned_department_id::text as department_id, 'issue' as record_type, i.id::text as id, i.project_id::text as project_id,
          null as period, ${day('i.due_date')} as due, i.category as factor,
          (i.status = 'resolved' and i.resolved_on <= i.due_date) as met
        from project_issues i
        where i.due_date between ${w.from}::date and ${last}::date and i.status <> 'withdrawn'
        order by 1, i.due_date, i.id`,
  );
  const orders = await rowsOf<Input>(
    executor,
    sql`select distinct on (o.id) o.department_id::text as department_id, 'supervision_order' as record_type, o.id::text as id,
          o.project_id::text as project_id, null as period, ${day('d.reply_due_date')} as due, false as met, null as factor
        from supervision_order_steps d
        join supervision_orders o on o.id = d.order_id
        where d.reply_due_date between ${w.from}::date and ${last}::date
          and not exists (select 1 from supervision_order_steps a
            where a.order_id = d.order_id and a.order_version > d.order_version
              and ((a.kind = 'reply_plan' and a.step_on <= d.reply_due_date) or (a.kind = 'withdraw' and a.step_on <= d.reply_due_date)))
        order by o.id, d.reply_due_date`,
  );
  const milestones = await rowsOf<Input>(
    executor,
    sql`select pr.department_id::text as department_id, 'project_milestone' as record_type, m.id::text as id, m.project_id::text as project_id,
          null as period, ${day('m.planned_date')} as due, null as factor,
          (m.actual_date is not null and m.actual_date <= m.planned_date) as met
        from project_milestones m join projects pr on pr.id = m.project_id
        where pr.archived_at is null and m.planned_date between ${w.from}::date and ${last}::date
        order by 1, m.planned_date, m.id`,
  );
  const clean = <T extends Input>({ returned: _returned, ...row }: T & { returned?: boolean }): Input => row;
  return {
    reports_on_time: reports.map(clean),
    reports_returned: reports.filter((r) => r.returned).map((r) => ({ ...clean(r), met: false })),
    issues_resolved_on_time: issues,
    overdue_orders: orders,
    milestones_on_time: milestones,
  };
}
