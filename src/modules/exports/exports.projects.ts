import { sql } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { planList, planStage, projectCategory, projectStatus } from '../../domain/codes.js';
import { dateInChina } from '../../lib/china-time.js';
import { asOfDefault } from '../../lib/schemas.js';
import { createProjectsRepository } from '../projects/projects.public.js';
import type { ListProjectsQuery, Project } from '../projects/projects.schemas.js';
import { exportTooLarge } from './exports.errors.js';
import type { Cell, Column, ExportFile } from './exports.sheet.js';

/** The largest page the projects list serves. */
const PAGE = 200;

export type ProjectFilters = Omit<ListProjectsQuery, 'cursor' | 'limit'>;

/**
 * What an office reads of its projects, and what the import reads back: every header is one the
 * import matches (its Chinese part), and the columns the service derives (leaders, investment to
 * date, last progress, status on asOf, record id) are ones it reads past with a warning.
 */
const columns: Column[] = [
  { header: '序号 / No.', kind: 'integer', width: 6 },
  { header: '项目编号 / Code', kind: 'text', width: 14 },
  { header: '项目名称 / Name', kind: 'text', width: 30 },
  { header: '项目单位 / Owner unit', kind: 'text', width: 20 },
  { header: '项目类别 / Category', kind: 'text', width: 12 },
  { header: '所属行业 / Industry', kind: 'text', width: 10 },
  { header: '建设地点 / Location', kind: 'text', width: 12 },
  { header: '估算总投资（万元）/ Estimated investment', kind: 'money', width: 14 },
  { header: '年度 / Year', kind: 'integer', width: 7 },
  { header: '名单 / List', kind: 'text', width: 14 },
  { header: '阶段 / Stage', kind: 'text', width: 8 },
  { header: '年度计划投资（万元）/ Planned investment of the year', kind: 'money', width: 14 },
  { header: '累计完成投资（万元）/ Investment completed to date', kind: 'money', width: 14 },
  { header: '最近形象进度 / Last physical progress', kind: 'text', width: 10 },
  { header: '最近报送期 / Last report period', kind: 'text', width: 11 },
  { header: '项目状态 / Status', kind: 'text', width: 9 },
  { header: '状态生效日期 / Status effective date', kind: 'date', width: 11 },
  { header: '截至日状态 / Status on as-of date', kind: 'text', width: 9 },
  { header: '计划开工日期 / Planned start', kind: 'date', width: 11 },
  { header: '计划竣工日期 / Planned completion', kind: 'date', width: 11 },
  { header: '实际开工日期 / Actual start', kind: 'date', width: 11 },
  { header: '实际竣工日期 / Actual completion', kind: 'date', width: 11 },
  { header: '责任部门 / Responsible department', kind: 'text', width: 9 },
  { header: '责任部门名称 / Department name', kind: 'text', width: 16 },
  { header: '协办部门 / Supporting departments', kind: 'text', width: 12 },
  { header: '挂点领导 / Leaders', kind: 'text', width: 12 },
  { header: '建设内容及说明 / Description', kind: 'text', width: 30 },
  { header: '记录编号 / Record id', kind: 'text', width: 20 },
];

interface Facts {
  statusSince: string | null;
  statusOnAsOf: string | null;
  completed: string | null;
  progress: string | null;
  lastPeriod: string | null;
  leaders: string | null;
}

type PlanRow = { projectId: string; year: number; list: string; stage: string; plannedInvestment: string };

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

export function createProjectExports({ db, maxRows }: { db: Db; maxRows: number }) {
  const projects = createProjectsRepository({ db });

  /** Page by page through the list endpoint's own query, so the filters mean exactly what they mean there. */
  async function allMatching(filters: ProjectFilters): Promise<Project[]> {
    const rows: Project[] = [];
    let cursor: string | undefined;
    do {
      const page = await projects.list({ ...filters, limit: PAGE, cursor });
      rows.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      if (rows.length > maxRows || (rows.length === maxRows && cursor)) throw exportTooLarge(maxRows);
    } while (cursor);
    return rows;
  }

  async function departmentsById(rows: Project[]): Promise<Map<string, { code: string; name: string }>> {
    const ids = [...new Set(rows.flatMap((r) => [r.departmentId, ...r.supportingDepartmentIds]))];
    if (ids.length === 0) return new Map();
    const found = rowsOf<{ id: string; code: string; name: string }>(await db.execute(sql`select id, code, name from departments where id = any(${`{${ids.join(',')}}`}::uuid[])`));
    return new Map(found.map((d) => [d.id, d]));
  }

  /** The plans of the year (of the list when one is asked), one row each. */
  async function plansOf(ids: string[], filters: ProjectFilters): Promise<Map<string, PlanRow[]>> {
    const byProject = new Map<string, PlanRow[]>();
    if (filters.year === undefined || ids.length === 0) return byProject;
    const found = rowsOf<PlanRow>(await db.execute(sql`
      select project_id as "projectId", year, list, stage, planned_investment::text as "plannedInvestment"
      from annual_plans
      where project_id = any(${`{${ids.join(',')}}`}::uuid[]) and year = ${filters.year}
        ${filters.list ? sql`and list = ${filters.list}` : sql``} ${filters.stage ? sql`and stage = ${filters.stage}` : sql``}
      order by list`));
    for (const plan of found) byProject.set(plan.projectId, [...(byProject.get(plan.projectId) ?? []), plan]);
    return byProject;
  }

  /**
   * What the office reads beside the record, as of `asOf`: the status then and since when the
   * current one holds, the leaders assigned then, and from the reports not returned (the figures'
   * default basis) the investment completed to date — in the year when one is asked, as the
   * figures count it — and the last physical progress reported.
   */
  async function factsOf(ids: string[], asOf: string, year: number | undefined): Promise<Map<string, Facts>> {
    const facts = new Map<string, Facts>();
    if (ids.length === 0) return facts;
    const idArray = `{${ids.join(',')}}`;
    const found = rowsOf<Facts & { id: string }>(await db.execute(sql`
      select p.id,
        (select sc.effective_date::text from project_status_changes sc where sc.project_id = p.id order by sc.effective_date desc, sc.id desc limit 1) as "statusSince",
        (select sc.to_status from project_status_changes sc where sc.project_id = p.id and sc.effective_date <= ${asOf}::date order by sc.effective_date desc, sc.id desc limit 1) as "statusOnAsOf",
        (select sum(rr.investment_completed)::text from progress_reports r
           join progress_report_revisions rr on rr.report_id = r.id and rr.revision = r.current_revision
           where r.project_id = p.id and r.review_status <> 'returned' and r.period_end <= ${asOf}::date
             ${year === undefined ? sql`` : sql`and r.period_start >= make_date(${year}, 1, 1) and r.period_end <= make_date(${year}, 12, 31)`}) as completed,
        last.progress, last.period as "lastPeriod",
        (select string_agg(l.name, '、' order by la.role, l.name) from leader_assignments la join leaders l on l.id = la.leader_id
           where la.project_id = p.id and la.start_date <= ${asOf}::date and (la.end_date is null or la.end_date >= ${asOf}::date)) as leaders
      from projects p
      left join lateral (
        select rr.physical_progress::text as progress, r.period from progress_reports r
        join progress_report_revisions rr on rr.report_id = r.id and rr.revision = r.current_revision
        where r.project_id = p.id and r.review_status <> 'returned' and r.period_end <= ${asOf}::date
        order by r.period_end desc limit 1
      ) last on true
      where p.id = any(${idArray}::uuid[])`));
    for (const { id, ...rest } of found) facts.set(id, rest);
    return facts;
  }

  /** `knownAt`: only stated in the file; the caller runs this on the records as known then (readKnownAt). */
  async function projectsFile(filters: ProjectFilters, knownAt?: string, asOfAsked?: string): Promise<ExportFile> {
    const asOf = asOfDefault(asOfAsked, knownAt);
    const rows = await allMatching(filters);
    const ids = rows.map((r) => r.id);
    const [departments, plans, facts] = [await departmentsById(rows), await plansOf(ids, filters), await factsOf(ids, asOf, filters.year)];
    const scope = filters.year === undefined ? '' : `${filters.list ? `${filters.list}-` : ''}${filters.year}-`;
    const list = filters.list ? planList.labels[filters.list] : undefined;
    const label = (status: string | null) => (status ? projectStatus.labels[status as keyof typeof projectStatus.labels].zh : null);
    const lines: Cell[][] = [];
    for (const p of rows) {
      const f = facts.get(p.id);
      const department = departments.get(p.departmentId);
      const projectPlans: (PlanRow | undefined)[] = plans.get(p.id) ?? [undefined];
      for (const plan of projectPlans) {
        lines.push([
          lines.length + 1, p.code, p.name, p.ownerUnit, projectCategory.labels[p.category].zh, p.industry, p.location, p.estimatedInvestment,
          plan?.year ?? null, plan ? planList.labels[plan.list as keyof typeof planList.labels].zh : null,
          plan ? planStage.labels[plan.stage as keyof typeof planStage.labels].zh : null, plan?.plannedInvestment ?? null,
          f?.completed ?? null, f?.progress ? `${f.progress}%` : null, f?.lastPeriod ?? null,
          projectStatus.labels[p.status].zh, f?.statusSince ?? null, label(f?.statusOnAsOf ?? null),
          p.plannedStartDate, p.plannedCompletionDate, p.actualStartDate, p.actualCompletionDate,
          department?.code ?? p.departmentId, department?.name ?? null,
          p.supportingDepartmentIds.map((id) => departments.get(id)?.code ?? id).join('、') || null,
          f?.leaders ?? null, p.description, p.id,
        ]);
      }
    }
    return {
      baseName: `kpo-projects-${scope}${dateInChina()}`,
      sheet: {
        name: '项目清单',
        columns,
        rows: lines,
        about: [
          ['内容 / Content', '项目清单（按项目编号排序；选定年度时每个年度计划一行）/ Projects, ordered by code; with a year, one row per plan of the year'],
          ['筛选条件 / Filters', JSON.stringify(filters)],
          ...(list ? [['名单 / List', `${list.zh}（${filters.list}）`] as [string, string]] : []),
          ['项目数 / Projects', String(rows.length)],
          ['统计截止日 / As of', `${asOf}：截至日状态、挂点领导、累计完成投资${filters.year === undefined ? '' : `（${filters.year}年内）`}、最近形象进度均按此日 / status, leaders, investment to date and last progress as of this day`],
          ['状态 / Status', knownAt ? '当时状态 / status as known then' : '当前状态 / current status'],
          ['数据时点 / Known at', knownAt ?? '当前数据 / current records'],
          ['金额单位 / Amounts', '万元（10,000 元），数字单元格，显示2位小数、单元格内为精确值，可直接求和 / 10k yuan, number cells shown to 2 decimals, exact in the cell'],
          ['重新导入 / Re-import', '本表可原样导入 POST /v1/imports/projects（派生列自动忽略）/ re-imports as it is; derived columns are read past'],
          ['导出时间 / Exported at', new Date().toISOString()],
        ],
      },
    };
  }

  return { projectsFile };
}
