import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import {
  issueCategory,
  issueHandlingMode,
  issueSource,
  issueStatus,
  leaderRole,
  milestoneKind,
  planList,
  planStage,
  projectCategory,
  projectStatus,
  type Label,
} from '../../domain/codes.js';
import { dateInChina } from '../../lib/china-time.js';
import type { Cell, Column, ExportFile, Sheet } from './exports.sheet.js';

/**
 * Every record of the (not archived) projects, one sheet per kind, in exactly the shape
 * POST /v1/imports/projects reads: what moves a town's data from one system of record to another,
 * and what the round-trip test exports, imports into an empty database and exports again.
 * Ids are not exported (a new database gives new ones); projects are named by code, departments by
 * code, leaders by name. Ordered by code and dates only, so that both databases order alike.
 */
const text = (header: string, width = 14): Column => ({ header, kind: 'text', width });
const date = (header: string): Column => ({ header, kind: 'date', width: 11 });
const money = (header: string): Column => ({ header, kind: 'money', width: 14 });

const zh = (labels: Record<string, Label>) => (code: unknown) => (code === null ? null : labels[String(code)]?.zh ?? String(code));

interface Kind {
  name: string;
  columns: Column[];
  query: SQL;
  row: (r: Record<string, unknown>) => Cell[];
}

const chinaTime = (value: unknown) => (value === null ? null : new Date(new Date(String(value)).getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '));
const str = (value: unknown) => (value === null || value === undefined ? null : String(value));

const live = sql`p.archived_at is null`;

const kinds: Kind[] = [
  {
    name: '项目',
    columns: [
      text('项目编号 / Code'), text('项目名称 / Name', 30), text('项目单位 / Owner unit', 20), text('项目类别 / Category'), text('所属行业 / Industry'),
      text('建设地点 / Location'), text('建设内容 / Description', 30), money('估算总投资（万元）/ Estimated investment'), date('计划开工日期 / Planned start'),
      date('计划竣工日期 / Planned completion'), text('责任部门 / Responsible department', 9), text('协办部门 / Supporting departments'), text('项目状态 / Status', 9),
      date('实际开工日期 / Actual start'), date('实际竣工日期 / Actual completion'),
    ],
    query: sql`select p.code, p.name, p.owner_unit, p.category, p.industry, p.location, p.description, p.estimated_investment::text as amount,
        p.planned_start_date::text as ps, p.planned_completion_date::text as pc, d.code as department,
        (select string_agg(sd.code, '、' order by sd.code) from project_supporting_departments s join departments sd on sd.id = s.department_id where s.project_id = p.id) as supporting,
        p.status, p.actual_start_date::text as ast, p.actual_completion_date::text as ac
      from projects p join departments d on d.id = p.department_id where ${live} order by p.code`,
    row: (r) => [r.code, r.name, r.owner_unit, zh(projectCategory.labels)(r.category), r.industry, r.location, r.description, r.amount, r.ps, r.pc, r.department, r.supporting, zh(projectStatus.labels)(r.status), r.ast, r.ac].map(str),
  },
  {
    name: '状态历史',
    columns: [text('项目编号 / Code'), text('状态 / Status', 9), date('生效日期 / Effective date'), text('原因 / Reason', 24)],
    query: sql`select p.code, c.to_status, c.effective_date::text as day, c.reason from project_status_changes c join projects p on p.id = c.project_id
      where ${live} order by p.code, c.effective_date, c.id`,
    row: (r) => [r.code, zh(projectStatus.labels)(r.to_status), r.day, r.reason].map(str),
  },
  {
    name: '年度计划',
    columns: [text('项目编号 / Code'), { header: '年度 / Year', kind: 'integer', width: 7 }, text('名单 / List'), text('阶段 / Stage', 8), money('年度计划投资（万元）/ Planned investment')],
    query: sql`select p.code, a.year, a.list, a.stage, a.planned_investment::text as amount from annual_plans a join projects p on p.id = a.project_id
      where ${live} order by p.code, a.year, a.list`,
    row: (r) => [r.code, Number(r.year), zh(planList.labels)(r.list), zh(planStage.labels)(r.stage), r.amount].map((v) => (typeof v === 'number' ? v : str(v))),
  },
  {
    name: '挂点领导',
    columns: [text('项目编号 / Code'), text('领导 / Leader', 10), text('角色 / Role', 10), date('开始日期 / Start date'), date('结束日期 / End date'), text('备注说明 / Notes', 24)],
    query: sql`select p.code, l.name, la.role, la.start_date::text as s, la.end_date::text as e, la.notes from leader_assignments la
      join projects p on p.id = la.project_id join leaders l on l.id = la.leader_id where ${live} order by p.code, la.start_date, l.name, la.role`,
    row: (r) => [r.code, r.name, zh(leaderRole.labels)(r.role), r.s, r.e, r.notes].map(str),
  },
  {
    name: '节点计划',
    columns: [
      text('项目编号 / Code'), text('节点类型 / Kind', 10), text('节点名称 / Title', 16), date('计划日期 / Planned date'), date('基准日期 / Baseline date'),
      date('预计日期 / Forecast date'), date('实际日期 / Actual date'), text('佐证材料 / Evidence', 20),
    ],
    query: sql`select p.code, m.kind, m.title, m.planned_date::text as pd, m.baseline_date::text as bd, m.forecast_date::text as fd, m.actual_date::text as ad, m.evidence
      from project_milestones m join projects p on p.id = m.project_id where ${live} order by p.code, m.planned_date, m.kind, m.title`,
    row: (r) => [r.code, zh(milestoneKind.labels)(r.kind), r.title, r.pd, r.bd, r.fd, r.ad, r.evidence].map(str),
  },
  {
    name: '进度报送',
    columns: [
      text('项目编号 / Code'), text('报送期 / Period', 11), money('本期完成投资（万元）/ Investment completed'), text('形象进度（%）/ Physical progress', 9),
      text('是否在建 / Work ongoing', 8), text('进展情况 / Narrative', 30), text('报送时间 / Submitted at', 18),
    ],
    query: sql`select p.code, r.period, rr.investment_completed::text as amount, rr.physical_progress::text as progress, rr.work_ongoing, rr.narrative, r.submitted_at
      from progress_reports r join progress_report_revisions rr on rr.report_id = r.id and rr.revision = r.current_revision
      join projects p on p.id = r.project_id where ${live} order by p.code, r.period`,
    row: (r) => [r.code, r.period, r.amount, r.progress, r.work_ongoing ? '是' : '否', r.narrative, chinaTime(r.submitted_at)].map(str),
  },
  {
    name: '问题',
    columns: [
      text('项目编号 / Code'), text('问题 / Title', 24), text('问题描述 / Description', 30), text('问题类别 / Category', 8), text('问题来源 / Source', 10),
      text('提出人 / Raised by', 10), date('提出日期 / Raised on'), text('办理方式 / Handling mode', 8), text('责任部门 / Department', 9), text('责任人 / Assignee', 8),
      date('办结时限 / Due date'), text('办理状态 / Status', 8), text('办理结果 / Resolution', 24), date('解决日期 / Resolved on'),
    ],
    query: sql`select p.code, i.title, i.description, i.category, i.source, i.raised_by, i.raised_on::text as ro, i.handling_mode, d.code as department, i.assignee_name,
        i.due_date::text as dd, i.status, i.resolution, i.resolved_on::text as rs
      from project_issues i join projects p on p.id = i.project_id join departments d on d.id = i.assigned_department_id
      where ${live} order by p.code, i.raised_on, i.title, i.status`,
    row: (r) => [
      r.code, r.title, r.description, zh(issueCategory.labels)(r.category), zh(issueSource.labels)(r.source), r.raised_by, r.ro, zh(issueHandlingMode.labels)(r.handling_mode),
      r.department, r.assignee_name, r.dd, zh(issueStatus.labels)(r.status), r.resolution, r.rs,
    ].map(str),
  },
];

export function createRecordsExport({ db }: { db: Db }) {
  /** `knownAt`: only stated in the file; the caller runs this on the records as known then (readKnownAt). */
  async function recordsFile(knownAt?: string): Promise<ExportFile> {
    const sheets: Sheet[] = [];
    for (const kind of kinds) {
      const { rows } = (await db.execute(kind.query)) as unknown as { rows: Record<string, unknown>[] };
      sheets.push({ name: kind.name, columns: kind.columns, rows: rows.map(kind.row), about: [] });
    }
    const [first, ...more] = sheets as [Sheet, ...Sheet[]];
    return {
      baseName: `kpo-records-${dateInChina()}`,
      sheet: {
        ...first,
        about: [
          ['内容 / Content', '全部未归档项目及其状态历史、年度计划、挂点领导、节点计划、进度报送、问题，每类一个工作表 / every project not archived with its records, one sheet per kind'],
          ['记录数 / Rows', sheets.map((s) => `${s.name} ${s.rows.length}`).join('；')],
          ['重新导入 / Re-import', '可原样导入 POST /v1/imports/projects（须先有相同代码的责任部门和同名领导）/ re-imports as it is into a database with the same departments and leaders'],
          ['数据时点 / Known at', knownAt ?? '当前数据 / current records'],
          ['报送时间 / Submitted at', '北京时间 / China Standard Time'],
          ['导出时间 / Exported at', new Date().toISOString()],
        ],
      },
      more,
    };
  }
  return { recordsFile };
}
