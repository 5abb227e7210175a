import { and, asc, eq, gt, gte, lte, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db, Executor } from '../../db/types.js';
import { lockAtVersion, writeNextVersion } from '../../db/versioned.js';
import { preparedStatement } from '../../db/prepared.js';
import { uuidv7 } from '../../lib/ids.js';
import { notFound, officeOnlyField, writesAsOffice } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import { recordAudit } from '../audit/audit.public.js';
import type { ScopedContext } from '../../lib/request-context.js';
import { projects } from '../projects/projects.table.js';
import { dueDateOf, isLate, periodBounds } from '../../domain/periods.js';
import { assertHappened, dateInChina } from '../../lib/china-time.js';
import {
  invalidPeriodRange,
  periodNotStarted,
  projectArchived,
  projectNotFound,
  reportExists,
} from './reports.errors.js';
import { selectReportViews, type ReportView } from './reports.queries.js';
import { applyReview, reviewAfterCorrection } from './reports.review.js';
import { expectedFromIfMatch } from '../../lib/etag.js';
import { REVISIONS_LISTED_MAX, type BulkReview, type CreateReport, type ListReportsQuery, type ReviewDecision, type ReviseReport } from './reports.schemas.js';
import { progressReportRevisions as revisions, progressReports as reports } from './reports.table.js';
import type { ExpectedVersion } from '../../lib/etag.js';

const byPeriodEndIdDesc = keyset({ periodEnd: reports.periodEnd, id: reports.id }, 'desc');
const bySubmittedAtId = keyset({ submittedAt: reports.submittedAt, id: reports.id });

const RESOURCE = 'progress_report';

const p = sql.placeholder;
// The statements of a report's submission, the hottest write (half-monthly deadlines), built once.
const projectForShare = preparedStatement((executor) =>
  executor
    .select({ departmentId: projects.departmentId, archivedAt: projects.archivedAt })
    .from(projects)
    .where(eq(projects.id, p('projectId')))
    .for('share')
    .prepare('report_create_project'),
);
const insertReport = preparedStatement((executor) =>
  executor
    .insert(reports)
    .values({
      id: p('id'),
      projectId: p('projectId'),
      period: p('period'),
      periodStart: p('periodStart'),
      periodEnd: p('periodEnd'),
      dueDate: p('dueDate'),
      departmentId: p('departmentId'),
      submittedAt: p('submittedAt'),
      late: p('late'),
    })
    .returning()
    .prepare('report_create_report'),
);
const insertFirstRevision = preparedStatement((executor) =>
  executor
    .insert(revisions)
    .values({
      reportId: p('reportId'),
      revision: 1,
      investmentCompleted: p('investmentCompleted'),
      physicalProgress: p('physicalProgress'),
      workOngoing: p('workOngoing'),
      narrative: p('narrative'),
      actor: p('actor'),
    })
    .returning()
    .prepare('report_create_revision'),
);
const reportViewById = preparedStatement((executor) => selectReportViews(executor).where(eq(reports.id, p('id'))).prepare('report_view_by_id'));

/** What a scope refusal says a department key may not write. */
const WHAT = 'progress reports';

type Figures = Pick<CreateReport, 'investmentCompleted' | 'physicalProgress' | 'workOngoing' | 'narrative'>;

function figuresOf(input: Figures) {
  return {
    investmentCompleted: input.investmentCompleted,
    physicalProgress: input.physicalProgress,
    workOngoing: input.workOngoing,
    narrative: input.narrative ?? null,
  };
}

export function createReportsRepository({ db, config, now = () => new Date() }: { db: Db; config: Config; now?: () => Date }) {
  async function viewOf(executor: Executor, id: string) {
    const [row] = await reportViewById(executor, { id });
    if (!row) throw notFound(RESOURCE, id);
    return row;
  }

  async function revisionsOf(executor: Executor, id: string) {
    return executor.select().from(revisions).where(eq(revisions.reportId, id)).orderBy(asc(revisions.revision));
  }

  async function existingReportId(executor: Executor, projectId: string, period: string) {
    const [row] = await executor
      .select({ id: reports.id })
      .from(reports)
      .where(and(eq(reports.projectId, projectId), eq(reports.period, period)));
    return row?.id;
  }

  async function create({ input, context, beforeCommit }: { input: CreateReport; context: ScopedContext; beforeCommit?: (tx: Executor, report: ReportView) => Promise<void> }) {
    const current = now();
    const submittedAt = input.submittedAt ? new Date(input.submittedAt) : current;
    // A report's submission time decides its lateness, which the departments are assessed on: only the
    // office enters an original submittedAt (history brought in from elsewhere); anyone else's is stamped now.
    if (input.submittedAt !== undefined && !writesAsOffice(context.actorRole)) throw officeOnlyField('submittedAt', context.actorRole);
    assertHappened({ submittedAt: input.submittedAt }, current);
    const { start, end } = periodBounds(input.period);
    // Neither today nor the submission day may precede the period: a report describes work done.
    if (dateInChina(submittedAt) < start) throw periodNotStarted(input.period, start);
    const dueDate = dueDateOf(input.period, config.REPORT_DUE_DAYS);
    try {
      return await db.transaction(async (tx) => {
        const [project] = await projectForShare(tx, { projectId: input.projectId });
        if (!project) throw projectNotFound(input.projectId);
        // Judged on the row just share-locked, which no move can change before this transaction ends:
        // the department the report is filed under is the one the key's scope was checked against.
        const known = [{ id: input.projectId, departmentId: project.departmentId }];
        await context.scope.projects(tx, { what: WHAT, projectIds: [input.projectId], known });
        if (project.archivedAt) throw projectArchived(input.projectId);
        // A report of the same period is found by the unique index (caught below), not by a read
        // first: one round trip less on the hottest write.
        const [report] = await insertReport(tx, {
          id: uuidv7(),
          projectId: input.projectId,
          period: input.period,
          periodStart: start,
          periodEnd: end,
          dueDate,
          departmentId: project.departmentId,
          submittedAt: submittedAt.toISOString(),
          late: isLate(submittedAt, dueDate),
        });
        const [revision] = await insertFirstRevision(tx, { reportId: report!.id, ...figuresOf(input), actor: context.actor });
        await recordAudit(tx, context, { action: 'create', resourceType: RESOURCE, resourceId: report!.id, after: { ...report, revision } });
        const [view] = await reportViewById(tx, { id: report!.id });
        // The caller's last word inside the transaction (the idempotent answer is stored with the write).
        await beforeCommit?.(tx, view!);
        return view!;
      });
    } catch (error) {
      // A report of this period exists (or a concurrent submission won): the loser learns which one.
      if (isUniqueViolation(error, 'progress_reports_project_period_key')) {
        const winner = await existingReportId(db, input.projectId, input.period);
        if (winner) throw reportExists(winner, input.period);
      }
      throw error;
    }
  }

  async function revise({ id, expectedVersion, input, context }: { id: string; expectedVersion: ExpectedVersion; input: ReviseReport; context: ScopedContext }) {
    return db.transaction(async (tx) => {
      const before = await lockAtVersion(tx, reports, { id, expectedVersion, label: RESOURCE });
      await context.scope.projects(tx, { what: WHAT, projectIds: [before.projectId] });
      const [previous] = await tx
        .select()
        .from(revisions)
        .where(and(eq(revisions.reportId, id), eq(revisions.revision, before.currentRevision)));
      const number = before.currentRevision + 1;
      const [revision] = await tx
        .insert(revisions)
        .values({ reportId: id, revision: number, ...figuresOf(input), correctionReason: input.correctionReason, actor: context.actor })
        .returning();
      // New figures need the office's review again; a returned report is thereby resubmitted.
      const after = await writeNextVersion(tx, reports, before, { currentRevision: number, ...reviewAfterCorrection(before.reviewStatus) }, { force: true });
      await recordAudit(tx, context, {
        action: 'update',
        resourceType: RESOURCE,
        resourceId: id,
        before: { ...before, revision: previous },
        after: { ...after, revision },
      });
      return { report: await viewOf(tx, id), revision: number };
    });
  }

  /** One review decision on the version the office read, in the caller's transaction. */
  async function reviewIn(tx: Executor, { id, expectedVersion, input, context }: { id: string; expectedVersion: ExpectedVersion; input: ReviewDecision; context: ScopedContext }) {
    const before = await lockAtVersion(tx, reports, { id, expectedVersion, label: RESOURCE });
    const after = await writeNextVersion(tx, reports, before, applyReview(before.reviewStatus, input, context), { force: true });
    await recordAudit(tx, context, { action: 'transition', resourceType: RESOURCE, resourceId: id, before, after });
    return viewOf(tx, id);
  }

  async function review(options: { id: string; expectedVersion: ExpectedVersion; input: ReviewDecision; context: ScopedContext }) {
    return db.transaction((tx) => reviewIn(tx, options));
  }

  /** Many decisions, all or nothing: the first stale ETag or refused decision undoes them all. */
  async function reviewMany({ input, context }: { input: BulkReview; context: ScopedContext }) {
    return db.transaction(async (tx) => {
      const items = [];
      for (const { reportId, ifMatch, ...decision } of input.decisions) {
        items.push(await reviewIn(tx, { id: reportId, expectedVersion: expectedFromIfMatch(ifMatch), input: decision, context }));
      }
      return { items };
    });
  }

  /** The office removes an erroneous report; the audit event keeps it with all its revisions. */
  async function remove({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: ScopedContext }) {
    await db.transaction(async (tx) => {
      const before = await lockAtVersion(tx, reports, { id, expectedVersion, label: RESOURCE });
      await context.scope.projects(tx, { what: WHAT, projectIds: [before.projectId] });
      const history = await revisionsOf(tx, id);
      await tx.delete(reports).where(eq(reports.id, id));
      await recordAudit(tx, context, { action: 'delete', resourceType: RESOURCE, resourceId: id, before: { ...before, revisions: history } });
    });
  }

  async function getById({ id }: { id: string }) {
    return viewOf(db, id);
  }

  async function listRevisions({ id }: { id: string }) {
    const [report] = await db.select({ currentRevision: reports.currentRevision }).from(reports).where(eq(reports.id, id));
    if (!report) throw notFound(RESOURCE, id);
    // Revisions are numbered 1..currentRevision: the latest REVISIONS_LISTED_MAX, oldest first.
    const rows = await db
      .select()
      .from(revisions)
      .where(and(eq(revisions.reportId, id), gt(revisions.revision, report.currentRevision - REVISIONS_LISTED_MAX)))
      .orderBy(asc(revisions.revision));
    return rows.map((row) => ({ ...row, current: row.revision === report.currentRevision }));
  }

  async function getRevision({ id, revision }: { id: string; revision: number }) {
    const [row] = await db
      .select({ revision: revisions, currentRevision: reports.currentRevision })
      .from(revisions)
      .innerJoin(reports, eq(reports.id, revisions.reportId))
      .where(and(eq(revisions.reportId, id), eq(revisions.revision, revision)));
    if (!row) throw notFound('progress_report_revision', `${id}/${revision}`);
    return { ...row.revision, current: row.revision.revision === row.currentRevision };
  }

  /**
   * Newest period first, reports of one period in id (creation) order, newest first; with
   * reviewStatus the review queue: oldest submission first.
   */
  async function list(query: ListReportsQuery) {
    const from = query.periodFrom ? periodBounds(query.periodFrom).start : undefined;
    const to = query.periodTo ? periodBounds(query.periodTo).end : undefined;
    if (from && to && from > to) throw invalidPeriodRange();
    return (query.reviewStatus ? bySubmittedAtId : byPeriodEndIdDesc).list(
      query,
      (after) =>
        selectReportViews(db)
          .where(
            and(
              query.projectId ? eq(reports.projectId, query.projectId) : undefined,
              query.departmentId ? eq(reports.departmentId, query.departmentId) : undefined,
              from ? gte(reports.periodStart, from) : undefined,
              to ? lte(reports.periodEnd, to) : undefined,
              query.late ? eq(reports.late, query.late === 'true') : undefined,
              query.reviewStatus ? eq(reports.reviewStatus, query.reviewStatus) : undefined,
              after,
            ),
          ),
    );
  }

  return { create, revise, review, reviewMany, remove, getById, listRevisions, getRevision, list };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const candidate = e as { code?: unknown; constraint?: unknown };
    if (candidate.code === '23505') return candidate.constraint === constraint;
  }
  return false;
}
