import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/types.js';
import { planList } from '../../../domain/codes.js';
import { dueDateOf, periodBounds } from '../../../domain/periods.js';
import { rowsOf } from '../../../db/rows.js';
import { complianceScope } from './operations.rules.js';
import type { FigureBasis } from '../metrics.schemas.js';

export interface ComplianceParams {
  period: string;
  year: number;
  list: (typeof planList.values)[number];
  dueDays: number;
  basis: FigureBasis;
}

interface CountsRow {
  group_key: string | null;
  group_label: string | null;
  project_count: number;
  project_ids: string[];
  missing_count: number;
  missing_ids: string[];
  late_count: number;
  late_ids: string[];
  returned_count: number;
  returned_ids: string[];
}

const counts = sql`
  count(s.project_id)::int as project_count,
  coalesce(json_agg(s.project_id order by s.project_id) filter (where s.project_id is not null), '[]'::json) as project_ids,
  (count(*) filter (where s.missing))::int as missing_count,
  coalesce(json_agg(s.project_id order by s.project_id) filter (where s.missing), '[]'::json) as missing_ids,
  (count(*) filter (where s.late))::int as late_count,
  coalesce(json_agg(s.project_id order by s.project_id) filter (where s.late), '[]'::json) as late_ids,
  (count(*) filter (where s.returned))::int as returned_count,
  coalesce(json_agg(s.project_id order by s.project_id) filter (where s.returned), '[]'::json) as returned_ids`;

function present(row: CountsRow) {
  return {
    projectCount: row.project_count,
    projectIds: row.project_ids,
    missing: { count: row.missing_count, projectIds: row.missing_ids },
    late: { count: row.late_count, projectIds: row.late_ids },
    returned: { count: row.returned_count, projectIds: row.returned_ids },
  };
}

export function createComplianceQueries({ db }: { db: Db }) {
  async function compliance(p: ComplianceParams) {
    const { start, end } = periodBounds(p.period);
    const active = sql`('under_construction', 'suspended')`;
    const stateCte: SQL = sql`
      with scope as (
        select ap.project_id, pr.department_id
        from annual_plans ap
        join projects pr on pr.id = ap.project_id
        where ap.year = ${p.year} and ap.list = ${p.list} and pr.archived_at is null
          and (
            (select sc.to_status from project_status_changes sc
              where sc.project_id = ap.project_id and sc.effective_date <= ${start}::date
              order by sc.effective_date desc, sc.id desc limit 1) in ${active}
            or exists (select 1 from project_status_changes sc
              where sc.project_id = ap.project_id and sc.effective_date > ${start}::date
                and sc.effective_date <= ${end}::date and sc.to_status in ${active})
          )
      ),
      state as (
        -- A report counts once it is in on the basis asked: not returned ('submitted'), or approved.
        -- A returned report not corrected is missing; one corrected after the due day is late.
        select scope.project_id, scope.department_id,
          r.id is null or ${p.basis === 'approved' ? sql`r.review_status <> 'approved'` : sql`r.review_status = 'returned'`} as missing,
          coalesce(r.review_status = 'returned', false) as returned,
          coalesce(r.late or r.resubmitted_at > ((r.due_date + 1)::timestamp - interval '8 hours') at time zone 'UTC', false) as late
        from scope
        left join progress_reports r on r.project_id = scope.project_id and r.period = ${p.period}
      )`;
    const [totals] = await rowsOf<CountsRow>(db, sql`${stateCte} select null as group_key, null as group_label, ${counts} from state s`);
    const byDepartment = await rowsOf<CountsRow>(
      db,
      sql`${stateCte}
        select s.department_id::text as group_key, d.name as group_label, ${counts}
        from state s join departments d on d.id = s.department_id
        group by 1, 2 order by 2, 1`,
    );
    const byLeader = await rowsOf<CountsRow>(
      db,
      sql`${stateCte}
        select l.id::text as group_key, l.name as group_label, ${counts}
        from state s
        left join (
          select distinct la.project_id, la.leader_id from leader_assignments la
          where la.start_date <= ${end}::date and (la.end_date is null or la.end_date >= ${end}::date)
        ) active on active.project_id = s.project_id
        left join leaders l on l.id = active.leader_id
        group by 1, 2 order by 2 nulls last, 1 nulls last`,
    );
    return {
      period: p.period,
      periodStart: start,
      periodEnd: end,
      dueDate: dueDateOf(p.period, p.dueDays),
      year: p.year,
      list: p.list,
      basis: p.basis,
      scope: complianceScope,
      totals: present(totals!),
      byDepartment: byDepartment.map((row) => ({ key: row.group_key, label: row.group_label ?? '', ...present(row) })),
      byLeader: byLeader.map((row) => ({
        key: row.group_key,
        label: row.group_label ?? 'No leader assigned / 无挂点领导',
        ...present(row),
      })),
    };
  }

  return { compliance };
}
