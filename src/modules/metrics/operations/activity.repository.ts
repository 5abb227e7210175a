import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/types.js';
import { batchStatus, issueCategory, issueHandlingMode } from '../../../domain/codes.js';
import { rowsOf } from '../../../db/rows.js';
import { financingRules, issueRules } from './operations.rules.js';

interface IssueRow {
  dimension: 'total' | 'handling_mode' | 'factor' | 'department' | 'project';
  key: string | null;
  label: string | null;
  opened: number;
  resolved: number;
  open: number;
  overdue: number;
  median_days: number | string | null;
}

export function createActivityQueries({ db }: { db: Db }) {
  async function issues({ from, to }: { from: string; to: string }) {
    const resolvedInRange = sql`i.status = 'resolved' and i.resolved_on between ${from}::date and ${to}::date`;
    const openAtTo = sql`i.status <> 'withdrawn' and (i.resolved_on is null or i.resolved_on > ${to}::date)`;
    const rows = await rowsOf<IssueRow>(
      db,
      sql`select
          case when grouping(i.handling_mode) = 0 then 'handling_mode'
               when grouping(i.category) = 0 then 'factor'
               when grouping(i.assigned_department_id) = 0 then 'department'
               when grouping(i.project_id) = 0 then 'project' else 'total' end as dimension,
          coalesce(i.handling_mode, i.category, i.assigned_department_id::text, i.project_id::text) as key,
          coalesce(d.name, p.code || ' ' || p.name) as label,
          (count(*) filter (where i.raised_on >= ${from}::date))::int as opened,
          (count(*) filter (where ${resolvedInRange}))::int as resolved,
          (count(*) filter (where ${openAtTo}))::int as open,
          (count(*) filter (where ${openAtTo} and i.due_date < ${to}::date))::int as overdue,
          percentile_cont(0.5) within group (order by (i.resolved_on - i.raised_on)) filter (where ${resolvedInRange}) as median_days
        from project_issues i
        join projects p on p.id = i.project_id
        join departments d on d.id = i.assigned_department_id
        where i.raised_on <= ${to}::date
        group by grouping sets ((), (i.handling_mode), (i.category), (i.assigned_department_id, d.name), (i.project_id, p.code, p.name))
        order by 1, 3, 2`,
    );
    const present = (row: IssueRow) => ({
      key: row.key,
      label: row.label ?? '',
      opened: row.opened,
      resolved: row.resolved,
      open: row.open,
      overdue: row.overdue,
      medianDaysToResolve: row.median_days === null ? null : Number(row.median_days),
    });
    const of = (dimension: IssueRow['dimension']) => rows.filter((r) => r.dimension === dimension).map(present);
    const empty = { key: null, label: '', opened: 0, resolved: 0, open: 0, overdue: 0, medianDaysToResolve: null };
    return {
      from,
      to,
      rules: issueRules,
      totals: of('total')[0] ?? empty,
      byHandlingMode: of('handling_mode').map((g) => {
        const labels = issueHandlingMode.labels[g.key as keyof typeof issueHandlingMode.labels];
        return { ...g, label: labels ? `${labels.en} / ${labels.zh}` : g.label };
      }),
      byFactor: of('factor').map((g) => {
        const labels = issueCategory.labels[g.key as keyof typeof issueCategory.labels];
        return { ...g, label: labels ? `${labels.en} / ${labels.zh}` : g.label };
      }),
      byDepartment: of('department'),
      byProject: of('project'),
    };
  }

  async function financing({ year }: { year: number }) {
    const start = `${year}-01-01`;
    const end = `${year}-12-31`;
    const rows = await rowsOf<{
      quarter: number | null;
      applications: number;
      requested: string;
      grants: number;
      projects_granted: number;
      granted: string;
      granted_ids: string[];
    }>(
      db,
      sql`with events as (
            select 'applied' as kind, extract(quarter from applied_on)::int as quarter, project_id, amount_requested as amount
            from special_bonds where applied_on between ${start}::date and ${end}::date
            union all
            select 'granted', extract(quarter from decided_on)::int, project_id, amount_granted
            from special_bonds where outcome = 'granted' and decided_on between ${start}::date and ${end}::date
          )
          select q.quarter,
            (count(*) filter (where e.kind = 'applied'))::int as applications,
            coalesce(sum(e.amount) filter (where e.kind = 'applied'), 0.0000)::text as requested,
            (count(*) filter (where e.kind = 'granted'))::int as grants,
            (count(distinct e.project_id) filter (where e.kind = 'granted'))::int as projects_granted,
            coalesce(sum(e.amount) filter (where e.kind = 'granted'), 0.0000)::text as granted,
            coalesce(json_agg(distinct e.project_id order by e.project_id) filter (where e.kind = 'granted'), '[]'::json) as granted_ids
          from (values (1), (2), (3), (4)) as q(quarter)
          left join events e on e.quarter = q.quarter
          group by grouping sets ((q.quarter), ())
          order by q.quarter nulls last`,
    );
    const present = (row: (typeof rows)[number]) => ({
      applications: row.applications,
      amountRequested: row.requested,
      grants: row.grants,
      projectsGranted: row.projects_granted,
      amountGranted: row.granted,
      grantedProjectIds: row.granted_ids,
    });
    const yearRow = rows.find((r) => r.quarter === null)!;
    return {
      year,
      rules: financingRules,
      quarters: rows.filter((r) => r.quarter !== null).map((r) => ({ quarter: Number(r.quarter), ...present(r) })),
      yearTotal: present(yearRow),
    };
  }

  async function batches({ year }: { year: number }) {
    const rows = await rowsOf<{
      id: string;
      name: string;
      ceremony_date: string;
      /** groundbreaking_batches_status_check keeps it to the code list. */
      status: (typeof batchStatus.values)[number];
      project_count: number;
      estimated_investment: string;
      projects: { id: string; code: string; name: string; estimatedInvestment: string }[];
    }>(
      db,
      sql`select b.id, b.name, b.ceremony_date::text as ceremony_date, b.status,
            count(p.id)::int as project_count,
            coalesce(sum(p.estimated_investment), 0.0000)::text as estimated_investment,
            coalesce(json_agg(json_build_object('id', p.id, 'code', p.code, 'name', p.name,
              'estimatedInvestment', p.estimated_investment::text) order by p.code) filter (where p.id is not null), '[]'::json) as projects
          from groundbreaking_batches b
          left join (select distinct batch_id, project_id from annual_plans where batch_id is not null) bp on bp.batch_id = b.id
          left join projects p on p.id = bp.project_id
          where b.ceremony_date between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date and b.archived_at is null
          -- Every selected column named: as known at an instant the table is a view, without the primary
          -- key that lets PostgreSQL infer the others from b.id.
          group by b.id, b.name, b.ceremony_date, b.status
          order by b.ceremony_date, b.id`,
    );
    return {
      year,
      batches: rows.map((r) => ({
        id: r.id,
        name: r.name,
        ceremonyDate: r.ceremony_date,
        status: r.status,
        projectCount: r.project_count,
        estimatedInvestment: r.estimated_investment,
        projects: r.projects,
      })),
    };
  }

  return { issues, financing, batches };
}
