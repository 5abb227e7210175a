import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/types.js';
import { rowsOf } from '../../../db/rows.js';
import { planList, projectCategory } from '../../../domain/codes.js';
import { milestoneRules } from './operations.rules.js';

export interface MilestoneMetricsParams {
  year: number;
  list: (typeof planList.values)[number];
  from: string;
  to: string;
}

interface GroupRow {
  group_key: string | null;
  group_label: string | null;
  due_ids: string[];
  due_projects: string[];
  achieved_ids: string[];
  achieved_projects: string[];
  on_time_ids: string[];
  on_time_projects: string[];
  late_ids: string[];
  late_projects: string[];
}

const set = (filter: string) => sql.raw(`
  coalesce(json_agg(m.id order by m.id) filter (where ${filter}), '[]'::json) as ${filter.split(' ')[0]}_ids,
  coalesce(json_agg(distinct m.project_id) filter (where ${filter}), '[]'::json) as ${filter.split(' ')[0]}_projects`);

// Each flag is computed once per milestone in the CTE below; the aggregates only filter on them.
const aggregates = sql.join([set('due'), set('achieved'), set('on_time'), set('late')], sql`,`);

function present(row: GroupRow) {
  const figure = (ids: string[], projects: string[]) => ({ count: ids.length, milestoneIds: ids, projectIds: [...projects].sort() });
  const due = row.due_ids.length;
  const onTime = row.on_time_ids.length;
  return {
    due: figure(row.due_ids, row.due_projects),
    achieved: figure(row.achieved_ids, row.achieved_projects),
    achievedOnTime: figure(row.on_time_ids, row.on_time_projects),
    late: figure(row.late_ids, row.late_projects),
    onTimeRate: { value: due === 0 ? null : Math.round((onTime / due) * 1e6) / 1e6, numerator: onTime, denominator: due },
  };
}

/**
 * Milestones of a list's projects in a period, by department, leader and category (节点完成情况):
 * due (planned in the period), achieved (actual date in it), achieved on time (due and achieved on
 * or before the planned date), late (due, its planned date passed by the end, not achieved by it).
 * Run under readKnownAt for knownAt: the tables are then their versions of then.
 */
export function createMilestoneMetrics({ db }: { db: Db }) {
  async function milestones(p: MilestoneMetricsParams) {
    const cte = sql`
      with scope as (
        select distinct ap.project_id, pr.department_id, pr.category
        from annual_plans ap join projects pr on pr.id = ap.project_id
        where ap.year = ${p.year} and ap.list = ${p.list} and pr.archived_at is null
      ),
      flagged as (
        select m.id, m.project_id, s.department_id, s.category,
          m.planned_date between ${p.from}::date and ${p.to}::date as due,
          m.actual_date between ${p.from}::date and ${p.to}::date as achieved,
          m.planned_date between ${p.from}::date and ${p.to}::date and m.actual_date <= m.planned_date as on_time,
          m.planned_date between ${p.from}::date and ${p.to}::date and m.planned_date < ${p.to}::date
            and not coalesce(m.actual_date <= m.planned_date, false) as late
        from project_milestones m join scope s on s.project_id = m.project_id
      )`;
    const grouped = (key: ReturnType<typeof sql>, label: ReturnType<typeof sql>, joins = sql``) =>
      rowsOf<GroupRow>(db, sql`${cte} select ${key} as group_key, ${label} as group_label, ${aggregates} from flagged m ${joins} group by 1, 2 order by 2 nulls last, 1 nulls last`);
    const [totals] = await grouped(sql`null::text`, sql`null::text`);
    const byDepartment = await grouped(sql`m.department_id::text`, sql`d.name`, sql`left join departments d on d.id = m.department_id`);
    const byLeader = await grouped(
      sql`l.id::text`,
      sql`l.name`,
      sql`left join (select distinct la.project_id, la.leader_id from leader_assignments la
            where la.start_date <= ${p.to}::date and (la.end_date is null or la.end_date >= ${p.to}::date)) active on active.project_id = m.project_id
          left join leaders l on l.id = active.leader_id`,
    );
    const byCategory = await grouped(sql`m.category`, sql`m.category`);
    const labelled = (rows: GroupRow[], noGroup: string, codes?: Record<string, { zh: string; en: string }>) =>
      rows.map((row) => {
        const code = codes && row.group_key ? codes[row.group_key] : undefined;
        return { key: row.group_key, label: code ? `${code.en} / ${code.zh}` : (row.group_label ?? noGroup), ...present(row) };
      });
    const empty: GroupRow = { group_key: null, group_label: null, due_ids: [], due_projects: [], achieved_ids: [], achieved_projects: [], on_time_ids: [], on_time_projects: [], late_ids: [], late_projects: [] };
    return {
      year: p.year,
      list: p.list,
      from: p.from,
      to: p.to,
      rules: milestoneRules,
      totals: present(totals ?? empty),
      byDepartment: labelled(byDepartment, 'No department / 无责任部门'),
      byLeader: labelled(byLeader, 'No leader assigned on to / 截止日无挂点领导'),
      byCategory: labelled(byCategory, '', projectCategory.labels),
    };
  }

  return { milestones };
}
