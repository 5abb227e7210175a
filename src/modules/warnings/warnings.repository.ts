import { sql } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { keyset } from '../../lib/pagination.js';
import { asOfDefault, assertAsOfInYear } from '../../lib/schemas.js';
import { rowsOf } from '../../db/rows.js';
import { evaluatedCte, lastPeriodEndedBy, periodsLookedAt, type EvaluationParams, type RuleSetting } from './warnings.queries.js';
import type { WarningRuleKey } from './warnings.rules.js';
import type { WarningRuleRow } from './warnings.rules.repository.js';
import { factorLabel, WARNING_LEADERS_MAX, type ListWarningsQuery, type ProjectWarning, type RollupQuery } from './warnings.schemas.js';
import type { issueCategory } from '../../domain/codes.js';

type Factor = (typeof issueCategory.values)[number];

/** Lights page by project code; the keys are the evaluated CTE's project columns. */
const byProject = keyset({ code: sql`p.code`, project_id: sql`p.id` });

interface EvaluatedRow {
  project_id: string;
  code: string;
  name: string;
  department_id: string;
  department_name: string;
  leaders: { id: string; name: string }[];
  status_on_as_of: string | null;
  light: ProjectWarning['light'];
  planned_start_date: string | null;
  days_late: number | null;
  not_started_level: number;
  completed: string;
  planned_investment: string;
  completion_pct: string | null;
  elapsed_pct: string;
  gap_points: string | null;
  elapsed_days: number;
  days_in_year: number;
  behind_schedule_level: number;
  consecutive: number | null;
  missing_reports_level: number;
  overdue_count: number | null;
  oldest_due: string | null;
  days_overdue: number | null;
  issue_ids: string[] | null;
  overdue_issue_level: number;
  factors: { factor: Factor; overdueCount: number; oldestDueDate: string; daysOverdue: number; level: number }[];
  schedule: 'elapsed_time' | 'milestones';
  milestones_late: number | null;
  late_milestone_id: string | null;
  late_kind: string | null;
  late_planned: string | null;
  late_baseline: string | null;
  milestone_days_overdue: number | null;
  milestone_overdue_level: number;
}

interface CountsRow {
  key: string | null;
  label: string | null;
  project_count: number;
  green: number;
  yellow: number;
  red: number;
}

const levelName = (rank: number) => (rank === 2 ? 'red' : 'yellow') as 'red' | 'yellow';
const lightName = (rank: number) => (rank === 0 ? 'green' : levelName(rank));
const money4 = (value: string) => (value.includes('.') ? value : `${value}.0000`);

function settingsOf(rules: WarningRuleRow[]): Record<WarningRuleKey, RuleSetting> {
  return Object.fromEntries(
    rules.map((r) => [r.key, { enabled: r.enabled, yellow: r.yellowThreshold, red: r.redThreshold, schedule: r.schedule }]),
  ) as Record<WarningRuleKey, RuleSetting>;
}

function reasonsOf(row: EvaluatedRow, periods: string[]): ProjectWarning['reasons'] {
  const reasons: ProjectWarning['reasons'] = [];
  if (row.not_started_level > 0) {
    reasons.push({
      rule: 'not_started',
      level: levelName(row.not_started_level),
      inputs: { plannedStartDate: row.planned_start_date!, daysLate: row.days_late!, statusOnAsOf: row.status_on_as_of },
    });
  }
  if (row.behind_schedule_level > 0) {
    reasons.push({
      rule: 'behind_schedule',
      level: levelName(row.behind_schedule_level),
      inputs: {
        completed: money4(row.completed),
        planned: money4(row.planned_investment),
        completionPct: Number(row.completion_pct),
        elapsedPct: Number(row.elapsed_pct),
        gapPoints: Number(row.gap_points),
        elapsedDays: row.elapsed_days,
        daysInYear: row.days_in_year,
        schedule: row.schedule,
      },
    });
  }
  if (row.missing_reports_level > 0) {
    reasons.push({
      rule: 'missing_reports',
      level: levelName(row.missing_reports_level),
      inputs: { lastPeriod: periods[0]!, consecutiveMissing: row.consecutive!, missingPeriods: periods.slice(0, row.consecutive!) },
    });
  }
  if (row.overdue_issue_level > 0) {
    reasons.push({
      rule: 'overdue_issue',
      level: levelName(row.overdue_issue_level),
      inputs: {
        overdueCount: row.overdue_count!,
        oldestDueDate: row.oldest_due!,
        daysOverdue: row.days_overdue!,
        issueIds: row.issue_ids!,
        byFactor: row.factors.map((f) => ({ ...f, label: factorLabel(f.factor), level: lightName(f.level) })),
      },
    });
  }
  if (row.milestone_overdue_level > 0) {
    reasons.push({
      rule: 'milestone_overdue',
      level: levelName(row.milestone_overdue_level),
      inputs: {
        overdueCount: row.milestones_late!,
        milestoneId: row.late_milestone_id!,
        kind: row.late_kind!,
        plannedDate: row.late_planned!,
        baselineDate: row.late_baseline!,
        daysOverdue: row.milestone_days_overdue!,
      },
    });
  }
  // Red before yellow; within a level, rules keep their evaluation order.
  return reasons.sort((a, b) => (a.level === b.level ? 0 : a.level === 'red' ? -1 : 1));
}

const counts = sql`
  count(e.project_id)::int as project_count,
  (count(*) filter (where e.light = 'green'))::int as green,
  (count(*) filter (where e.light = 'yellow'))::int as yellow,
  (count(*) filter (where e.light = 'red'))::int as red`;

const presentCounts = (row: CountsRow | undefined) => ({
  projectCount: row?.project_count ?? 0,
  green: row?.green ?? 0,
  yellow: row?.yellow ?? 0,
  red: row?.red ?? 0,
});

/** Lights are judged under the rules the caller read (see warnings.rules.repository.ts). */
export function createWarningsRepository({ db }: { db: Db }) {
  async function list({ query, rules }: { query: ListWarningsQuery; rules: WarningRuleRow[] }) {
    const { knownAt } = query;
    assertAsOfInYear(query.year, query.asOf);
    const asOf = asOfDefault(query.asOf, knownAt);
    const filters = { ...query, asOf };
    const page = byProject.page(query, filters);
    const settings = settingsOf(rules);
    const params: EvaluationParams = { year: query.year, list: query.list, asOf, rules: settings, departmentId: query.departmentId, leaderId: query.leaderId, basis: query.basis, after: page.where };
    const rows = await rowsOf<EvaluatedRow>(
      db,
      sql`${evaluatedCte(params)}
        select e.*, d.name as department_name,
          coalesce((select json_agg(json_build_object('id', first.leader_id, 'name', first.leader_name) order by first.leader_name, first.leader_id)
                    from (select al.leader_id, al.leader_name from active_leaders al where al.project_id = e.project_id
                          order by al.leader_name, al.leader_id limit ${sql.raw(String(WARNING_LEADERS_MAX))}) first), '[]'::json) as leaders,
          coalesce((select json_agg(json_build_object('factor', fl.factor, 'overdueCount', fl.overdue_count, 'oldestDueDate', to_char(fl.oldest_due, 'YYYY-MM-DD'),
                      'daysOverdue', fl.days_overdue, 'level', fl.factor_level) order by fl.factor)
                    from factor_lights fl where fl.project_id = e.project_id), '[]'::json) as factors
        from evaluated e
        join departments d on d.id = e.department_id
        where true
        ${query.level ? sql`and e.light = ${query.level}` : sql``}
        ${query.factor ? sql`and exists (select 1 from factor_lights fl where fl.project_id = e.project_id and fl.factor = ${query.factor} and fl.factor_level > 0)` : sql``}
        order by e.code, e.project_id
        limit ${query.limit + 1}`,
    );
    const periods = periodsLookedAt(asOf, settings.missing_reports);
    const found = page.toPage(rows);
    return {
      year: query.year,
      list: query.list,
      asOf,
      knownAt: knownAt ?? null,
      basis: query.basis,
      nextCursor: found.nextCursor,
      items: found.items.map((row) => ({
        projectId: row.project_id,
        projectCode: row.code,
        projectName: row.name,
        departmentId: row.department_id,
        departmentName: row.department_name,
        leaders: row.leaders,
        statusOnAsOf: row.status_on_as_of,
        light: row.light,
        reasons: reasonsOf(row, periods.length ? periods : [lastPeriodEndedBy(asOf)]),
      })),
    };
  }

  async function rollup({ query, rules }: { query: RollupQuery; rules: WarningRuleRow[] }) {
    const { knownAt } = query;
    assertAsOfInYear(query.year, query.asOf);
    const asOf = asOfDefault(query.asOf, knownAt);
    const cte = evaluatedCte({ year: query.year, list: query.list, asOf, basis: query.basis, rules: settingsOf(rules) });
    const [totals] = await rowsOf<CountsRow>(db, sql`${cte} select null as key, null as label, ${counts} from evaluated e`);
    const groups =
      query.by === 'factor'
        ? await rowsOf<CountsRow>(
            db,
            sql`${cte} select fl.factor as key, null as label, count(*)::int as project_count,
                (count(*) filter (where fl.factor_level = 0))::int as green,
                (count(*) filter (where fl.factor_level = 1))::int as yellow,
                (count(*) filter (where fl.factor_level = 2))::int as red
              from factor_lights fl join evaluated e on e.project_id = fl.project_id
              group by 1 order by 1`,
          )
        : query.by === 'department'
        ? await rowsOf<CountsRow>(
            db,
            sql`${cte} select e.department_id::text as key, d.name as label, ${counts}
              from evaluated e join departments d on d.id = e.department_id
              group by 1, 2 order by 2, 1`,
          )
        : await rowsOf<CountsRow>(
            db,
            sql`${cte} select al.leader_id::text as key, al.leader_name as label, ${counts}
              from evaluated e left join active_leaders al on al.project_id = e.project_id
              group by 1, 2 order by 2 nulls last, 1 nulls last`,
          );
    return {
      year: query.year,
      list: query.list,
      asOf,
      knownAt: knownAt ?? null,
      basis: query.basis,
      by: query.by,
      totals: presentCounts(totals),
      groups: groups.map((row) => ({
        key: row.key,
        label: query.by === 'factor' ? factorLabel(row.key as Factor) : (row.label ?? 'No leader assigned on asOf / 统计日无挂点领导'),
        ...presentCounts(row),
      })),
    };
  }

  return { list, rollup };
}
