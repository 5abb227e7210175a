import type { Db } from '../../src/db/types.js';
import { departments } from '../../src/modules/departments/departments.table.js';
import { leaders } from '../../src/modules/leaders/leaders.table.js';
import { projects, projectStatusChanges } from '../../src/modules/projects/projects.table.js';
import { annualPlans } from '../../src/modules/plans/plans.table.js';
import { progressReports, progressReportRevisions } from '../../src/modules/reports/reports.table.js';
import { leaderAssignments } from '../../src/modules/leader-assignments/leader-assignments.table.js';
import { projectIssues } from '../../src/modules/issues/issues.table.js';
import { dueDateOf, nextPeriod, periodBounds } from '../../src/domain/periods.js';

type IssueStatus = (typeof projectIssues.$inferInsert)['status'];
type IssueCategory = (typeof projectIssues.$inferInsert)['category'];

/** Rows go straight into the tables: the lights must not depend on the record APIs' rules. */
export function fixtures(db: Db) {
  let seq = 0;
  const next = () => ++seq;

  async function department(name = `部门${next()}`) {
    const [row] = await db.insert(departments).values({ code: `D${next()}`, name }).returning();
    return row!;
  }

  async function leader(name: string) {
    const [row] = await db.insert(leaders).values({ name, title: '副镇长' }).returning();
    return row!;
  }

  /** A project on the 2022 city-key list; planned investment 0 keeps behind_schedule out of the way. */
  async function project(p: { departmentId: string; planned?: string; plannedStartDate?: string; list?: string; year?: number }) {
    const n = next();
    const [row] = await db
      .insert(projects)
      .values({
        code: `P${String(n).padStart(3, '0')}`,
        name: `项目${n}`,
        category: 'industrial_investment',
        estimatedInvestment: '50000.0000',
        departmentId: p.departmentId,
        plannedStartDate: p.plannedStartDate ?? null,
      })
      .returning();
    await db.insert(annualPlans).values({
      projectId: row!.id,
      year: p.year ?? 2022,
      list: p.list ?? 'city_key',
      stage: 'new_start',
      plannedInvestment: p.planned ?? '0.0000',
    });
    return row!;
  }

  async function status(projectId: string, toStatus: string, effectiveDate: string) {
    await db.insert(projectStatusChanges).values({ projectId, toStatus, effectiveDate, actor: 'fixture' });
  }

  /** One report; a correction adds a later revision that becomes the current one. */
  async function report(p: { projectId: string; departmentId: string; period: string; investments?: string[] }) {
    const investments = p.investments ?? ['0.0000'];
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
        submittedAt: `${end}T08:00:00Z`,
        late: false,
        currentRevision: investments.length,
      })
      .returning();
    await db.insert(progressReportRevisions).values(
      investments.map((investment, i) => ({
        reportId: row!.id,
        revision: i + 1,
        investmentCompleted: investment,
        workOngoing: true,
        actor: 'fixture',
      })),
    );
  }

  /** A report for every period from `from` to `to`, inclusive, each with no investment. */
  async function reportsBetween(p: { projectId: string; departmentId: string; from: string; to: string }) {
    for (let period = p.from; ; period = nextPeriod(period)) {
      await report({ projectId: p.projectId, departmentId: p.departmentId, period });
      if (period === p.to) return;
    }
  }

  async function assign(leaderId: string, projectId: string, startDate: string, endDate: string | null = null) {
    await db.insert(leaderAssignments).values({ leaderId, projectId, startDate, endDate });
  }

  async function issue(p: { projectId: string; departmentId: string; raisedOn: string; dueDate: string | null; status?: IssueStatus; resolvedOn?: string; category?: IssueCategory }) {
    const [row] = await db
      .insert(projectIssues)
      .values({
        projectId: p.projectId,
        title: '用电报装',
        category: p.category ?? 'power',
        source: 'inspection',
        raisedOn: p.raisedOn,
        handlingMode: 'immediate',
        assignedDepartmentId: p.departmentId,
        status: p.status ?? 'open',
        resolvedOn: p.resolvedOn ?? null,
        resolution: p.status === 'resolved' ? '已协调供电部门' : null,
        dueDate: p.dueDate,
      })
      .returning();
    return row!;
  }

  return { department, leader, project, status, report, reportsBetween, assign, issue };
}
