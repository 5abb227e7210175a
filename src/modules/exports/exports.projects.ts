import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { planList, projectCategory, projectStatus } from '../../domain/codes.js';
import { departments } from '../departments/departments.table.js';
import { dateInChina } from '../../lib/china-time.js';
import { createProjectsRepository } from '../projects/projects.public.js';
import type { ListProjectsQuery, Project } from '../projects/projects.schemas.js';
import { exportTooLarge } from './exports.errors.js';
import type { Column, ExportFile } from './exports.sheet.js';

/** The largest page the projects list serves. */
const PAGE = 200;

export type ProjectFilters = Omit<ListProjectsQuery, 'cursor' | 'limit'>;

const columns: Column[] = [
  { header: '序号 / No.', kind: 'integer', width: 8 },
  { header: '项目编号 / Code', kind: 'text', width: 16 },
  { header: '项目名称 / Name', kind: 'text', width: 40 },
  { header: '项目单位 / Owner unit', kind: 'text', width: 30 },
  { header: '项目类别 / Category', kind: 'text', width: 16 },
  { header: '所属行业 / Industry', kind: 'text', width: 14 },
  { header: '建设地点 / Location', kind: 'text', width: 16 },
  { header: '估算总投资（万元）/ Estimated investment', kind: 'money', width: 20 },
  { header: '项目状态 / Status', kind: 'text', width: 12 },
  { header: '计划开工日期 / Planned start', kind: 'date', width: 14 },
  { header: '计划竣工日期 / Planned completion', kind: 'date', width: 14 },
  { header: '实际开工日期 / Actual start', kind: 'date', width: 14 },
  { header: '实际竣工日期 / Actual completion', kind: 'date', width: 14 },
  { header: '责任部门 / Responsible department', kind: 'text', width: 20 },
  { header: '协办部门 / Supporting departments', kind: 'text', width: 24 },
  { header: '建设内容及说明 / Description', kind: 'text', width: 40 },
  { header: '记录编号 / Record id', kind: 'text', width: 38 },
];

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

  async function departmentNames(rows: Project[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.flatMap((r) => [r.departmentId, ...r.supportingDepartmentIds]))];
    if (ids.length === 0) return new Map();
    const found = await db.select({ id: departments.id, name: departments.name }).from(departments).where(inArray(departments.id, ids));
    return new Map(found.map((d) => [d.id, d.name]));
  }

  /** `knownAt`: only stated in the file; the caller runs this on the records as known then (readKnownAt). */
  async function projectsFile(filters: ProjectFilters, knownAt?: string): Promise<ExportFile> {
    const rows = await allMatching(filters);
    const names = await departmentNames(rows);
    const scope = filters.year === undefined ? '' : `${filters.list ? `${filters.list}-` : ''}${filters.year}-`;
    const list = filters.list ? planList.labels[filters.list] : undefined;
    return {
      baseName: `kpo-projects-${scope}${dateInChina()}`,
      sheet: {
        name: '项目清单',
        columns,
        rows: rows.map((p, index) => [
          index + 1, p.code, p.name, p.ownerUnit, projectCategory.labels[p.category].zh, p.industry, p.location,
          p.estimatedInvestment, projectStatus.labels[p.status].zh, p.plannedStartDate, p.plannedCompletionDate,
          p.actualStartDate, p.actualCompletionDate, names.get(p.departmentId) ?? p.departmentId,
          p.supportingDepartmentIds.map((id) => names.get(id) ?? id).join('、'), p.description, p.id,
        ]),
        about: [
          ['内容 / Content', '项目清单（按项目编号排序）/ Projects, ordered by code'],
          ['筛选条件 / Filters', JSON.stringify(filters)],
          ...(list ? [['名单 / List', `${list.zh}（${filters.list}）`] as [string, string]] : []),
          ['项目数 / Projects', String(rows.length)],
          ['状态 / Status', knownAt ? '当时状态 / status as known then' : '当前状态 / current status'],
          ['数据时点 / Known at', knownAt ?? '当前数据 / current records'],
          ['金额单位 / Amounts', '万元（10,000 元），数字单元格，可直接求和 / 10k yuan, number cells that SUM adds'],
          ['导出时间 / Exported at', new Date().toISOString()],
        ],
      },
    };
  }

  return { projectsFile };
}
