import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { annualPlans } from '../../modules/plans/plans.table.js';
import { departments } from '../../modules/departments/departments.table.js';
import { groundbreakingBatches } from '../../modules/batches/batches.table.js';
import { inspectionDepartments, inspectionLeaders, inspectionProjects, inspections } from '../../modules/inspections/inspections.table.js';
import { leaderAssignments } from '../../modules/leader-assignments/leader-assignments.table.js';
import { leaders } from '../../modules/leaders/leaders.table.js';
import { progressReportRevisions, progressReports } from '../../modules/reports/reports.table.js';
import { projectIssues } from '../../modules/issues/issues.table.js';
import { projects, projectStatusChanges } from '../../modules/projects/projects.table.js';
import { specialBonds } from '../../modules/special-bonds/special-bonds.table.js';
import { projectMilestones } from '../../modules/milestones/milestones.table.js';
import { declaredFigures } from '../../modules/metrics/declared/declared.table.js';
import { recordAudit } from '../../modules/audit/audit.public.js';
import { addMoney } from '../../lib/money.js';
import { dueDateOf, isLate, nextPeriod, periodBounds } from '../../domain/periods.js';
import * as demo from './demo-data.js';
import { writeSupervisionDemo } from './demo-supervision.js';

const ENTERED = '2022-01-05T01:00:00Z';
const ACTOR = 'seed-demo';

/** 10:00 Beijing time on the day after a period ends: on time. */
function onTimeSubmission(period: string): string {
  const { end } = periodBounds(period);
  const next = new Date(`${end}T02:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}

/** Inserts the Tanzhou 2022 demo dataset in one transaction; refuses to run over existing projects. */
export async function writeDemo(db: Db, options: { reportDueDays: number; log?: (line: string) => void }): Promise<{ projects: number; reports: number }> {
  const log = options.log ?? (() => {});
  return db.transaction(async (tx) => {
    const existing = await tx.execute(sql`select count(*)::int as n from projects`);
    if (((existing as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0) > 0) {
      throw new Error('The database already holds projects; seed:demo loads only into an empty database');
    }
    const dept = await idsBy(tx, departments, demo.departments.map((d) => ({ ...d, createdAt: ENTERED, updatedAt: ENTERED })), 'code');
    const lead = await idsBy(tx, leaders, demo.leaders.map(({ name, title }) => ({ name, title, createdAt: ENTERED, updatedAt: ENTERED })), 'name');
    const leaderId = (key: string) => lead.get(demo.leaders.find((l) => l.key === key)!.name)!;
    const batch = new Map<string, string>();
    for (const b of demo.batches) {
      const [row] = await tx.insert(groundbreakingBatches).values({ name: b.name, ceremonyDate: b.ceremonyDate, status: b.status, location: b.location, createdAt: ENTERED, updatedAt: ENTERED }).returning({ id: groundbreakingBatches.id });
      batch.set(b.key, row!.id);
    }
    log(`departments ${dept.size}, leaders ${lead.size}, batches ${batch.size}`);

    const all = [...demo.cityKeyProjects, ...demo.reserveProjects, ...demo.industrialProjects, ...demo.bondReserveProjects];
    const project = new Map<string, string>();
    let reportCount = 0;
    for (const p of all) {
      const history = p.history;
      const started = history.find(([, s]) => s === 'under_construction')?.[0];
      const completed = history.find(([, s]) => s === 'completed')?.[0];
      const [row] = await tx.insert(projects).values({
        code: p.code, name: p.name, ownerUnit: p.ownerUnit, category: p.category, industry: p.industry ?? null, location: p.location,
        estimatedInvestment: p.estimatedInvestment, status: history.at(-1)?.[1] ?? 'planning', plannedStartDate: p.plannedStartDate ?? null,
        plannedCompletionDate: p.plannedCompletionDate ?? null, actualStartDate: started ?? null, actualCompletionDate: completed ?? null,
        departmentId: dept.get(p.department)!, createdAt: ENTERED, updatedAt: ENTERED,
      }).returning({ id: projects.id });
      const id = row!.id;
      project.set(p.code, id);
      let from: string | null = null;
      for (const [effectiveDate, toStatus] of [['2020-01-01', 'planning'] as [string, string], ...history]) {
        const recordedAt = effectiveDate < '2022-01-05' ? ENTERED : `${effectiveDate}T09:00:00Z`;
        await tx.insert(projectStatusChanges).values({ projectId: id, fromStatus: from, toStatus, effectiveDate, actor: ACTOR, recordedAt });
        from = toStatus;
      }
      for (const plan of p.plans) {
        await tx.insert(annualPlans).values({ projectId: id, year: 2022, list: plan.list, stage: plan.stage, plannedInvestment: plan.plannedInvestment, batchId: plan.batch ? batch.get(plan.batch)! : null, createdAt: ENTERED, updatedAt: ENTERED });
      }
      await tx.insert(leaderAssignments).values({ leaderId: leaderId(p.leader), projectId: id, role: 'lead', startDate: '2022-01-01', createdAt: ENTERED, updatedAt: ENTERED });
      reportCount += await writeReports(tx, p, id, dept.get(p.department)!, options.reportDueDays);
    }
    log(`projects ${project.size}, progress reports ${reportCount}`);

    const milestoneIds: string[] = [];
    for (const m of demo.milestones) {
      const [milestone] = await tx.insert(projectMilestones).values({
        projectId: project.get(m.project)!, kind: m.kind, plannedDate: m.plannedDate, baselineDate: m.plannedDate,
        actualDate: m.actualDate, evidence: m.evidence, createdAt: ENTERED, updatedAt: m.actualDate ? `${m.actualDate}T09:00:00Z` : ENTERED,
      }).returning({ id: projectMilestones.id });
      milestoneIds.push(milestone!.id);
    }
    for (const bond of demo.specialBonds) {
      await tx.insert(specialBonds).values({ projectId: project.get(bond.project)!, bondBatch: bond.bondBatch, appliedOn: bond.appliedOn, amountRequested: bond.amountRequested, outcome: bond.outcome, amountGranted: bond.amountGranted ?? null, decidedOn: bond.decidedOn ?? null, createdAt: ENTERED, updatedAt: ENTERED });
    }
    const inspectionIds: string[] = [];
    for (const i of demo.inspections) {
      const [row] = await tx.insert(inspections).values({ kind: i.kind, inspectedOn: i.inspectedOn, title: i.title, team: i.team, findings: i.findings, outcome: i.outcome, createdAt: `${i.inspectedOn}T10:00:00Z`, updatedAt: `${i.inspectedOn}T10:00:00Z` }).returning({ id: inspections.id });
      inspectionIds.push(row!.id);
      await tx.insert(inspectionProjects).values(i.projects.map((code) => ({ inspectionId: row!.id, projectId: project.get(code)! })));
      await tx.insert(inspectionLeaders).values(i.leaders.map((key) => ({ inspectionId: row!.id, leaderId: leaderId(key) })));
      await tx.insert(inspectionDepartments).values(i.departments.map((code) => ({ inspectionId: row!.id, departmentId: dept.get(code)! })));
    }
    const issueIds: string[] = [];
    for (const issue of demo.issues) {
      const projectId = project.get(issue.project)!;
      // An issue raised during an inspection is linked only where that inspection visited the project.
      const inspectionIndex = demo.inspections.findIndex((i) => i.projects.includes(issue.project));
      const fromInspection = issue.source === 'inspection' && inspectionIndex >= 0;
      const [row] = await tx.insert(projectIssues).values({
        projectId, title: issue.title, category: issue.category, source: fromInspection ? ('inspection' as const) : ('enterprise_request' as const),
        inspectionId: fromInspection ? inspectionIds[inspectionIndex]! : null, raisedOn: issue.raisedOn, handlingMode: issue.handlingMode,
        assignedDepartmentId: dept.get(issue.department)!, assigneeName: '三办专员', dueDate: issue.dueDate, status: issue.status,
        resolution: 'resolution' in issue ? issue.resolution : null, resolvedOn: 'resolvedOn' in issue ? issue.resolvedOn : null,
        createdAt: `${issue.raisedOn}T09:00:00Z`, updatedAt: `${issue.raisedOn}T09:00:00Z`,
      }).returning({ id: projectIssues.id });
      issueIds.push(row!.id);
    }
    const byCode = new Map(all.map((p) => [p.code, p]));
    const orders = await writeSupervisionDemo(tx, {
      actor: ACTOR,
      issue: (index) => ({ id: issueIds[index]!, projectId: project.get(demo.issues[index]!.project)!, departmentId: dept.get(demo.issues[index]!.department)! }),
      milestoneStart: (code) => {
        const index = demo.milestones.findIndex((m) => m.project === code && m.kind === 'start');
        const p = byCode.get(code)!;
        return { id: milestoneIds[index]!, projectId: project.get(code)!, departmentId: dept.get(p.department)!, leaderId: leaderId(p.leader) };
      },
    });
    for (const f of demo.declaredFigures) {
      await tx.insert(declaredFigures).values({ list: f.list as 'city_key', year: 2022, figure: f.figure, value: f.value, source: f.source, asOf: f.asOf, createdAt: ENTERED, updatedAt: ENTERED });
    }
    await recordAudit(tx, { actor: ACTOR, requestId: 'seed-demo' }, { action: 'import', resourceType: 'demo-dataset', resourceId: 'tanzhou-2022', after: { projects: project.size, reports: reportCount } });
    log(`special bonds ${demo.specialBonds.length}, inspections ${demo.inspections.length}, issues ${demo.issues.length}, supervision orders ${orders}, declared figures ${demo.declaredFigures.length}`);
    return { projects: project.size, reports: reportCount };
  });
}

async function idsBy<T extends { [k: string]: unknown }>(tx: Executor, table: typeof departments | typeof leaders, rows: T[], key: keyof T & string): Promise<Map<string, string>> {
  const inserted = (await tx.insert(table).values(rows as never).returning()) as unknown as Record<string, string>[];
  return new Map(inserted.map((r) => [r[key]!, r.id!]));
}

async function writeReports(tx: Executor, p: demo.DemoProject, projectId: string, departmentId: string, dueDays: number): Promise<number> {
  const reports = { ...(p.reports ?? {}) };
  // A missing report's work is reported with the next period, so the year's total is unchanged.
  for (const missing of demo.missingReports.filter((m) => m.project === p.code)) {
    const [amount] = reports[missing.period]!;
    const next = nextPeriod(missing.period);
    const [nextAmount, ongoing] = reports[next]!;
    reports[next] = [addMoney(amount, nextAmount), ongoing];
    delete reports[missing.period];
  }
  let count = 0;
  for (const [period, [investment, workOngoing]] of Object.entries(reports)) {
    const { start, end } = periodBounds(period);
    const dueDate = dueDateOf(period, dueDays);
    const submittedAt = demo.lateReports.find((l) => l.project === p.code && l.period === period)?.submittedAt ?? onTimeSubmission(period);
    const correction = demo.correction.project === p.code && demo.correction.period === period ? demo.correction : undefined;
    // Returned by the office and corrected (awaiting review again), or approved once reviewed.
    const review = correction
      ? { reviewStatus: 'submitted' as const, reviewedAt: correction.returnedAt, reviewedBy: ACTOR, returnReason: correction.returnReason, resubmittedAt: correction.recordedAt }
      : end <= demo.reviewedThrough
        ? { reviewStatus: 'approved' as const, reviewedAt: demo.reviewedAt(nextPeriod(period)), reviewedBy: ACTOR }
        : {};
    const [row] = await tx.insert(progressReports).values({
      projectId, period, periodStart: start, periodEnd: end, dueDate, departmentId, submittedAt,
      late: isLate(new Date(submittedAt), dueDate), currentRevision: correction ? 2 : 1, version: correction ? 3 : review.reviewStatus ? 2 : 1,
      ...review,
      createdAt: submittedAt, updatedAt: correction?.recordedAt ?? review.reviewedAt ?? submittedAt,
    }).returning({ id: progressReports.id });
    const base = { reportId: row!.id, workOngoing, narrative: workOngoing ? '按计划施工' : '受疫情影响停工', actor: ACTOR };
    if (correction) {
      await tx.insert(progressReportRevisions).values([
        { ...base, revision: 1, investmentCompleted: correction.firstFigure, recordedAt: submittedAt },
        { ...base, revision: 2, investmentCompleted: investment, correctionReason: correction.reason, recordedAt: correction.recordedAt },
      ]);
    } else {
      await tx.insert(progressReportRevisions).values({ ...base, revision: 1, investmentCompleted: investment, recordedAt: submittedAt });
    }
    count++;
  }
  return count;
}
