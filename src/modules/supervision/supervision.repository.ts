import { and, eq, inArray, lt, not, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { lockAtVersion, writeNextVersion } from '../../db/versioned.js';
import { assertHappened, dateInChina } from '../../lib/china-time.js';
import type { ExpectedVersion } from '../../lib/etag.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import type { ScopedContext } from '../../lib/request-context.js';
import { insertAudited, recordAudit } from '../audit/audit.public.js';
import { projectIssues } from '../issues/issues.table.js';
import { projectMilestones } from '../milestones/milestones.table.js';
import { projects } from '../projects/projects.table.js';
import { emitWebhookEvent } from '../webhooks/webhooks.public.js';
import { levelBelowIssuer, replyDueBeforeIssued, subjectRequired } from './supervision.errors.js';
import type { CreateSupervisionOrder, ListSupervisionOrdersQuery, SupervisionStepInput } from './supervision.schemas.js';
import { supervisionOrders as orders, supervisionOrderSteps as steps } from './supervision.table.js';
import { applyStep, WAITING_FOR_REPLY, type Actor } from './supervision.workflow.js';

const RESOURCE = 'supervision_order';
const WHAT = 'supervision orders';
const byIssuedOnDesc = keyset({ issuedOn: orders.issuedOn, id: orders.id }, 'desc');
// Each step makes the next version of its order: that is their order.
const byStep = keyset({ orderVersion: steps.orderVersion, id: steps.id });

type Row = typeof orders.$inferSelect;

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** An order as the API shows it: with the days its reply is overdue on `day`. */
export function present(row: Row, day: string) {
  const waiting = WAITING_FOR_REPLY.includes(row.status);
  return { ...row, overdueDays: waiting ? Math.max(0, daysBetween(row.replyDueDate, day)) : 0 };
}

function overdueCondition(asOf: string): SQL {
  return and(inArray(orders.status, [...WAITING_FOR_REPLY]), lt(orders.replyDueDate, asOf))!;
}

/** A department key sees the orders addressed to its department only; every other role sees all. */
function visibleTo(viewer: Actor): SQL | undefined {
  return viewer.role === 'department' ? eq(orders.departmentId, viewer.departmentId ?? '') : undefined;
}

/** The project (and default department) of an order's subject, share-locked so that it stays while the order is written. */
async function subjectOf(tx: Executor, input: CreateSupervisionOrder) {
  const named = [input.projectId, input.issueId, input.milestoneId].filter((v) => v !== undefined);
  if (named.length !== 1) throw subjectRequired();
  if (input.issueId) {
    const [issue] = await tx.select().from(projectIssues).where(eq(projectIssues.id, input.issueId)).for('share');
    if (!issue) throw notFound('issue', input.issueId);
    return { subjectType: 'issue' as const, projectId: issue.projectId, departmentId: issue.assignedDepartmentId, issueId: issue.id, milestoneId: null };
  }
  let projectId = input.projectId;
  let milestoneId: string | null = null;
  if (input.milestoneId) {
    const [milestone] = await tx.select().from(projectMilestones).where(eq(projectMilestones.id, input.milestoneId)).for('share');
    if (!milestone) throw notFound('project_milestone', input.milestoneId);
    projectId = milestone.projectId;
    milestoneId = milestone.id;
  }
  const [project] = await tx.select({ id: projects.id, departmentId: projects.departmentId }).from(projects).where(eq(projects.id, projectId!)).for('share');
  if (!project) throw notFound('project', projectId!);
  return { subjectType: milestoneId ? ('milestone' as const) : ('project' as const), projectId: project.id, departmentId: project.departmentId, issueId: null, milestoneId };
}

export function createSupervisionRepository({ db }: { db: Db }) {
  async function getById({ id, viewer, asOf }: { id: string; viewer: Actor; asOf?: string | undefined }) {
    const [row] = await db.select().from(orders).where(and(eq(orders.id, id), visibleTo(viewer)));
    // Another department's order is not found: a department sees its own orders only.
    if (!row) throw notFound(RESOURCE, id);
    return present(row, asOf ?? dateInChina());
  }

  async function list({ query, viewer }: { query: ListSupervisionOrdersQuery; viewer: Actor }) {
    const day = query.asOf ?? dateInChina();
    const overdue = query.overdue === undefined ? undefined : query.overdue === 'true' ? overdueCondition(day) : not(overdueCondition(day));
    const found = await byIssuedOnDesc.list(
      query,
      (after) =>
        db
          .select()
          .from(orders)
          .where(
            and(
              visibleTo(viewer),
              query.status ? eq(orders.status, query.status) : undefined,
              query.level ? eq(orders.level, query.level) : undefined,
              query.departmentId ? eq(orders.departmentId, query.departmentId) : undefined,
              query.projectId ? eq(orders.projectId, query.projectId) : undefined,
              query.issueId ? eq(orders.issueId, query.issueId) : undefined,
              overdue,
              after,
            ),
          ),
      { filters: { ...query, asOf: day, viewer: viewer.role === 'department' ? viewer.departmentId : null } },
    );
    return { items: found.items.map((row) => present(row, day)), nextCursor: found.nextCursor };
  }

  async function listSteps({ id, query, viewer }: { id: string; query: { limit: number; cursor?: string | undefined }; viewer: Actor }) {
    await getById({ id, viewer });
    return byStep.list(query, (after) => db.select().from(steps).where(and(eq(steps.orderId, id), after)), { filters: { ...query, id } });
  }

  async function create({ input, context, actor }: { input: CreateSupervisionOrder; context: ScopedContext; actor: Actor }) {
    assertHappened({ issuedOn: input.issuedOn });
    if (input.replyDueDate < input.issuedOn) throw replyDueBeforeIssued(input);
    return db.transaction(async (tx) => {
      const subject = await subjectOf(tx, input);
      // A leader key issues its own orders, on the projects it watched on the day it issued them.
      const issuerLeaderId = actor.role === 'leader' ? actor.leaderId : (input.issuerLeaderId ?? null);
      await context.scope.projects(tx, { what: WHAT, projectIds: [subject.projectId], on: input.issuedOn });
      const minimum = issuerLeaderId ? 2 : 1;
      const level = input.level ?? minimum;
      if (level < minimum) throw levelBelowIssuer({ level, minimum });
      const values = {
        ...subject,
        departmentId: input.departmentId ?? subject.departmentId,
        issuerLeaderId,
        title: input.title,
        requirement: input.requirement,
        level,
        issuedOn: input.issuedOn,
        replyDueDate: input.replyDueDate,
        statusDate: input.issuedOn,
      };
      const row = await insertAudited(tx, orders, { values, resourceType: RESOURCE, context });
      const [step] = await tx
        .insert(steps)
        .values({ orderId: row.id, kind: 'issue', stepOn: input.issuedOn, fromStatus: null, toStatus: row.status, fromLevel: null, toLevel: level, note: input.requirement, replyDueDate: input.replyDueDate, actor: context.actor, onBehalfOf: context.onBehalfOf ?? null, orderVersion: row.version })
        .returning();
      await emitWebhookEvent(tx, 'supervision.issued', { orderId: row.id, step, order: row });
      return present(row, dateInChina());
    });
  }

  async function step({ id, expectedVersion, input, context, actor }: { id: string; expectedVersion: ExpectedVersion; input: SupervisionStepInput; context: ScopedContext; actor: Actor }) {
    assertHappened({ on: input.on });
    return db.transaction(async (tx) => {
      const before = await lockAtVersion(tx, orders, { id, expectedVersion, label: RESOURCE });
      const patch = applyStep(before, input, actor);
      // Every step is a version of its own, even one that repeats the last progress word for word.
      const after = (await writeNextVersion(tx, orders, before, patch, { force: true }))!;
      await recordAudit(tx, context, { action: 'transition', resourceType: RESOURCE, resourceId: id, before, after });
      const [row] = await tx
        .insert(steps)
        .values({
          orderId: id, kind: input.action, stepOn: input.on, fromStatus: before.status, toStatus: after.status, fromLevel: before.level, toLevel: after.level,
          note: input.note ?? null, replyDueDate: input.replyDueDate ?? null, actor: context.actor, onBehalfOf: context.onBehalfOf ?? null, orderVersion: after.version,
        })
        .returning();
      if (input.action === 'accept') await emitWebhookEvent(tx, 'supervision.closed', { orderId: id, step: row, order: after });
      if (input.action === 'send_back') await emitWebhookEvent(tx, 'supervision.sent_back', { orderId: id, reason: input.note, step: row, order: after });
      return present(after, dateInChina());
    });
  }

  return { getById, list, listSteps, create, step };
}
