import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { departments } from '../departments/departments.table.js';
import { annualPlans } from '../plans/plans.table.js';
import { projects, projectStatusChanges } from '../projects/projects.table.js';
import { progressReportRevisions as revisions, progressReports as reports } from '../reports/reports.table.js';
import { specialBonds } from '../special-bonds/special-bonds.table.js';
import { projectMilestones } from '../milestones/milestones.public.js';
import type { PlanList } from './oc4ids.schemas.js';

/** A timestamptz as ISO 8601 UTC with milliseconds, so that values compare as text. */
function isoUtc(value: SQL): SQL<string> {
  return sql<string>`to_char((${value}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

const latestChange = (column: SQL) =>
  sql`(select ${column} from ${projectStatusChanges} c where c.project_id = ${projects.id} order by c.effective_date desc, c.id desc limit 1)`;

/** Last change to anything the export shows for the project: its row, department, plans, bonds, reports, milestones. */
const updatedAt = isoUtc(sql`greatest(
  ${projects.updatedAt}, ${departments.updatedAt},
  (select max(a.updated_at) from ${annualPlans} a where a.project_id = ${projects.id}),
  (select max(b.updated_at) from ${specialBonds} b where b.project_id = ${projects.id}),
  (select max(r.updated_at) from ${reports} r where r.project_id = ${projects.id}),
  (select max(m.updated_at) from ${projectMilestones} m where m.project_id = ${projects.id})
)`);

const projectColumns = {
  id: projects.id,
  code: projects.code,
  name: projects.name,
  description: projects.description,
  ownerUnit: projects.ownerUnit,
  category: projects.category,
  industry: projects.industry,
  location: projects.location,
  estimatedInvestment: projects.estimatedInvestment,
  status: projects.status,
  statusSince: sql<string | null>`${latestChange(sql`c.effective_date`)}::text`,
  firstStatusDate: sql<string | null>`(select min(c.effective_date)::text from ${projectStatusChanges} c where c.project_id = ${projects.id})`,
  plannedStartDate: projects.plannedStartDate,
  plannedCompletionDate: projects.plannedCompletionDate,
  actualStartDate: projects.actualStartDate,
  actualCompletionDate: projects.actualCompletionDate,
  updated: updatedAt,
  department: {
    id: departments.id,
    code: departments.code,
    name: departments.name,
    contactPerson: departments.contactPerson,
    contactPhone: departments.contactPhone,
  },
};

/**
 * Everything the OC4IDS export needs, read set-based: one query per kind of record for all the
 * projects asked for (a package of 100 projects is four queries), never one per project.
 */
export function createOc4idsRepository({ db }: { db: Db }) {
  function selectProjects(where: SQL | undefined) {
    return db
      .select(projectColumns)
      .from(projects)
      .innerJoin(departments, eq(departments.id, projects.departmentId))
      .where(where)
      .orderBy(asc(projects.code), asc(projects.id));
  }

  async function details(ids: string[]) {
    if (ids.length === 0) return { plans: [], bonds: [], reports: [], milestones: [] };
    const plans = await db
      .select({ id: annualPlans.id, projectId: annualPlans.projectId, year: annualPlans.year, list: annualPlans.list, stage: annualPlans.stage, plannedInvestment: annualPlans.plannedInvestment })
      .from(annualPlans)
      .where(inArray(annualPlans.projectId, ids))
      .orderBy(asc(annualPlans.projectId), asc(annualPlans.year), asc(annualPlans.list));
    const bonds = await db
      .select({
        id: specialBonds.id, projectId: specialBonds.projectId, bondBatch: specialBonds.bondBatch, appliedOn: specialBonds.appliedOn,
        amountRequested: specialBonds.amountRequested, outcome: specialBonds.outcome, amountGranted: specialBonds.amountGranted, decidedOn: specialBonds.decidedOn,
      })
      .from(specialBonds)
      // Rejected and withdrawn applications never became a financing arrangement.
      .where(and(inArray(specialBonds.projectId, ids), inArray(specialBonds.outcome, ['granted', 'pending'])))
      .orderBy(asc(specialBonds.projectId), asc(specialBonds.appliedOn), asc(specialBonds.id));
    const toDate = sql`sum(${revisions.investmentCompleted}) over (partition by ${reports.projectId} order by ${reports.periodEnd})`;
    const reportRows = await db
      .select({
        projectId: reports.projectId,
        period: reports.period,
        periodStart: reports.periodStart,
        periodEnd: reports.periodEnd,
        investmentCompleted: revisions.investmentCompleted,
        physicalProgress: sql<string | null>`${revisions.physicalProgress}::text`,
        // Running totals and shares in numeric; they leave PostgreSQL as text.
        investmentToDate: sql<string>`(${toDate})::text`,
        shareOfEstimate: sql<string | null>`round(100 * (${toDate}) / nullif(${projects.estimatedInvestment}, 0), 2)::text`,
      })
      .from(reports)
      .innerJoin(revisions, and(eq(revisions.reportId, reports.id), eq(revisions.revision, reports.currentRevision)))
      .innerJoin(projects, eq(projects.id, reports.projectId))
      .where(inArray(reports.projectId, ids))
      .orderBy(asc(reports.projectId), asc(reports.periodEnd));
    const milestones = await db
      .select({
        id: projectMilestones.id, projectId: projectMilestones.projectId, kind: projectMilestones.kind, title: projectMilestones.title,
        plannedDate: projectMilestones.plannedDate, actualDate: projectMilestones.actualDate, updatedAt: projectMilestones.updatedAt,
      })
      .from(projectMilestones)
      .where(inArray(projectMilestones.projectId, ids))
      .orderBy(asc(projectMilestones.projectId), asc(projectMilestones.plannedDate), asc(projectMilestones.id));
    return { plans, bonds, reports: reportRows, milestones };
  }

  async function project({ id }: { id: string }) {
    const rows = await selectProjects(eq(projects.id, id));
    return { projects: rows, ...(await details(rows.map((r) => r.id))) };
  }

  /** The projects on a list (or on any list) for a year; archived projects are left out. */
  async function packageOf({ year, list }: { year: number; list?: PlanList | undefined }) {
    const onList = db
      .select({ projectId: annualPlans.projectId })
      .from(annualPlans)
      .where(and(eq(annualPlans.year, year), list ? eq(annualPlans.list, list) : undefined));
    const rows = await selectProjects(and(inArray(projects.id, onList), isNull(projects.archivedAt)));
    return { projects: rows, ...(await details(rows.map((r) => r.id))) };
  }

  return { project, packageOf };
}

export type Oc4idsRecords = Awaited<ReturnType<ReturnType<typeof createOc4idsRepository>['project']>>;
