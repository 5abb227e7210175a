import type { Db } from '../../src/db/types.js';
import { departments } from '../../src/modules/departments/departments.table.js';
import { leaders } from '../../src/modules/leaders/leaders.table.js';
import { projects, projectStatusChanges } from '../../src/modules/projects/projects.table.js';
import { annualPlans } from '../../src/modules/plans/plans.table.js';
import { progressReports, progressReportRevisions } from '../../src/modules/reports/reports.table.js';
import { leaderAssignments } from '../../src/modules/leader-assignments/leader-assignments.table.js';
import { projectIssues } from '../../src/modules/issues/issues.table.js';
import { specialBonds } from '../../src/modules/special-bonds/special-bonds.table.js';
import { groundbreakingBatches } from '../../src/modules/batches/batches.table.js';
import { dueDateOf, periodBounds } from '../../src/domain/periods.js';

type ProjectInsert = typeof projects.$inferInsert;
type PlanInsert = typeof annualPlans.$inferInsert;
type StatusInsert = typeof projectStatusChanges.$inferInsert;
type IssueInsert = typeof projectIssues.$inferInsert;
type BondInsert = typeof specialBonds.$inferInsert;
type BatchInsert = typeof groundbreakingBatches.$inferInsert;

/** Rows go straight into the tables: the metrics must not depend on the record APIs' rules. */
export function fixtures(db: Db) {
  let seq = 0;
  const next = () => ++seq;
  /** Records entered long before the 2022 briefings unless a test says otherwise. */
  const EARLY = '2022-01-05T00:00:00Z';

  async function department(name = `部门${next()}`) {
    const [row] = await db.insert(departments).values({ code: `D${next()}`, name }).returning();
    return row!;
  }

  async function leader(name: string) {
    const [row] = await db.insert(leaders).values({ name, title: '副镇长' }).returning();
    return row!;
  }

  async function project(p: { departmentId: string; estimated: string; category?: ProjectInsert['category']; name?: string; createdAt?: string }) {
    const n = next();
    const [row] = await db
      .insert(projects)
      .values({
        code: `P${String(n).padStart(3, '0')}`,
        name: p.name ?? `项目${n}`,
        category: p.category ?? 'industrial_investment',
        estimatedInvestment: p.estimated,
        departmentId: p.departmentId,
        createdAt: p.createdAt ?? EARLY,
      })
      .returning();
    return row!;
  }

  async function plan(p: {
    projectId: string;
    stage: 'new_start' | 'continuing' | 'preliminary';
    planned: string;
    year?: number;
    list?: PlanInsert['list'];
    batchId?: string;
    createdAt?: string;
  }) {
    await db.insert(annualPlans).values({
      projectId: p.projectId,
      year: p.year ?? 2022,
      list: p.list ?? 'city_key',
      stage: p.stage,
      plannedInvestment: p.planned,
      batchId: p.batchId ?? null,
      createdAt: p.createdAt ?? EARLY,
    });
  }

  /** A project with its plan on the list, in one call. */
  async function planned(p: {
    departmentId: string;
    estimated: string;
    stage: 'new_start' | 'continuing' | 'preliminary';
    planned: string;
    list?: PlanInsert['list'];
    category?: ProjectInsert['category'];
  }) {
    const row = await project(p);
    await plan({ projectId: row.id, stage: p.stage, planned: p.planned, ...(p.list ? { list: p.list } : {}) });
    return row;
  }

  async function status(projectId: string, toStatus: StatusInsert['toStatus'], effectiveDate: string, recordedAt = `${effectiveDate}T02:00:00Z`) {
    await db.insert(projectStatusChanges).values({ projectId, toStatus, effectiveDate, actor: 'fixture', recordedAt });
  }

  async function report(p: {
    projectId: string;
    departmentId: string;
    period: string;
    late?: boolean;
    revisions: { investment: string; recordedAt: string; workOngoing?: boolean }[];
  }) {
    const { start, end } = periodBounds(p.period);
    const [row] = await db
      .insert(progressReports)
      .values({
        projectId: p.projectId,
        period: p.period,
        periodStart: start,
        periodEnd: end,
        dueDate: dueDateOf(p.period, 3),
        departmentId: p.departmentId,
        submittedAt: p.revisions[0]!.recordedAt,
        late: p.late ?? false,
        currentRevision: p.revisions.length,
      })
      .returning();
    await db.insert(progressReportRevisions).values(
      p.revisions.map((r, i) => ({
        reportId: row!.id,
        revision: i + 1,
        investmentCompleted: r.investment,
        workOngoing: r.workOngoing ?? true,
        actor: 'fixture',
        recordedAt: r.recordedAt,
      })),
    );
    return row!;
  }

  async function assign(leaderId: string, projectId: string, startDate: string, endDate: string | null = null) {
    await db.insert(leaderAssignments).values({ leaderId, projectId, startDate, endDate });
  }

  async function issue(p: {
    projectId: string;
    departmentId: string;
    raisedOn: string;
    handlingMode: IssueInsert['handlingMode'];
    status?: IssueInsert['status'];
    resolvedOn?: string;
    dueDate?: string;
  }) {
    await db.insert(projectIssues).values({
      projectId: p.projectId,
      title: '用电报装',
      source: 'inspection',
      raisedOn: p.raisedOn,
      handlingMode: p.handlingMode,
      assignedDepartmentId: p.departmentId,
      status: p.status ?? 'open',
      resolvedOn: p.resolvedOn ?? null,
      resolution: p.status === 'resolved' ? '已协调供电部门' : null,
      dueDate: p.dueDate ?? null,
    });
  }

  async function bond(p: { projectId: string; appliedOn: string; requested: string; outcome?: BondInsert['outcome']; granted?: string; decidedOn?: string }) {
    await db.insert(specialBonds).values({
      projectId: p.projectId,
      appliedOn: p.appliedOn,
      amountRequested: p.requested,
      outcome: p.outcome ?? 'pending',
      amountGranted: p.granted ?? null,
      decidedOn: p.decidedOn ?? null,
    });
  }

  async function batch(name: string, ceremonyDate: string, status: BatchInsert['status'] = 'held') {
    const [row] = await db.insert(groundbreakingBatches).values({ name, ceremonyDate, status }).returning();
    return row!;
  }

  return { department, leader, project, plan, planned, status, report, assign, issue, bond, batch };
}
