import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, oneOf, timestamps, versionColumn } from '../../db/columns.js';
import { supervisionStatus, supervisionStepKind, supervisionSubject } from '../../domain/codes.js';
import { departments } from '../departments/departments.table.js';
import { projectIssues } from '../issues/issues.table.js';
import { leaders } from '../leaders/leaders.table.js';
import { projectMilestones } from '../milestones/milestones.table.js';
import { projects } from '../projects/projects.table.js';

export type SupervisionStatus = (typeof supervisionStatus.values)[number];
export type SupervisionStepKind = (typeof supervisionStepKind.values)[number];

/**
 * 督办单: an order from the office or a leader to a department about a project, an issue or a
 * milestone, with a reply deadline and a level (1 office, 2 assigned leader, 3 town head). Its steps
 * (supervision_order_steps) are the dated record of what happened; the row holds where it stands.
 */
export const supervisionOrders = pgTable(
  'supervision_orders',
  {
    id: idColumn(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    subjectType: text('subject_type').$type<(typeof supervisionSubject.values)[number]>().notNull(),
    /** The issue or milestone it is about; null when the order is about the project (or its subject was deleted). */
    issueId: uuid('issue_id').references(() => projectIssues.id, { onDelete: 'set null' }),
    milestoneId: uuid('milestone_id').references(() => projectMilestones.id, { onDelete: 'set null' }),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'restrict' }),
    /** The leader who issued it (a leader's own order, or the office recording one); null for the office's own. */
    issuerLeaderId: uuid('issuer_leader_id').references(() => leaders.id, { onDelete: 'restrict' }),
    title: text('title').notNull(),
    requirement: text('requirement').notNull(),
    level: integer('level').notNull(),
    status: text('status').$type<SupervisionStatus>().notNull().default('issued'),
    issuedOn: date('issued_on').notNull(),
    replyDueDate: date('reply_due_date').notNull(),
    /** The date of the last step (issue, reply, progress, decision, escalation). */
    statusDate: date('status_date').notNull(),
    escalationCount: integer('escalation_count').notNull().default(0),
    lastEscalatedOn: date('last_escalated_on'),
    fixPlan: text('fix_plan'),
    progress: text('progress'),
    closedOn: date('closed_on'),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('supervision_orders_department_idx').on(t.departmentId, t.status),
    index('supervision_orders_project_idx').on(t.projectId),
    index('supervision_orders_issue_idx').on(t.issueId).where(sql`${t.issueId} is not null`),
    index('supervision_orders_milestone_idx').on(t.milestoneId).where(sql`${t.milestoneId} is not null`),
    index('supervision_orders_leader_idx').on(t.issuerLeaderId).where(sql`${t.issuerLeaderId} is not null`),
    // What the escalation worker scans: orders waiting for a reply.
    index('supervision_orders_waiting_idx').on(t.replyDueDate).where(sql`${t.status} in ('issued', 'returned')`),
    check('supervision_orders_level_check', sql`${t.level} between 1 and 3`),
    check('supervision_orders_status_check', oneOf(t.status, supervisionStatus.values)),
    check('supervision_orders_subject_check', oneOf(t.subjectType, supervisionSubject.values)),
    check('supervision_orders_due_check', sql`${t.replyDueDate} >= ${t.issuedOn}`),
    check('supervision_orders_closed_check', sql`(${t.status} = 'closed') = (${t.closedOn} is not null)`),
  ],
);

/** Every step of an order, append-only: who did what on which day, and what the order became. */
export const supervisionOrderSteps = pgTable(
  'supervision_order_steps',
  {
    id: idColumn(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => supervisionOrders.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<SupervisionStepKind>().notNull(),
    stepOn: date('step_on').notNull(),
    fromStatus: text('from_status').$type<SupervisionStatus>(),
    toStatus: text('to_status').$type<SupervisionStatus>().notNull(),
    fromLevel: integer('from_level'),
    toLevel: integer('to_level').notNull(),
    /** The fix plan, the progress, the reason for sending back or for the escalation. */
    note: text('note'),
    /** The reply deadline the step set: the order's first (issue), a send-back's new one. */
    replyDueDate: date('reply_due_date'),
    /** The API key (or "system" for the escalation worker) and the person named in X-Actor. */
    actor: text('actor').notNull(),
    onBehalfOf: text('on_behalf_of'),
    /** The order's version this step produced: its audit event and history version. */
    orderVersion: integer('order_version').notNull(),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    index('supervision_order_steps_order_idx').on(t.orderId, t.id),
    check('supervision_order_steps_kind_check', oneOf(t.kind, supervisionStepKind.values)),
    // An order reaches each level once: a second escalation to the same level cannot be written.
    uniqueIndex('supervision_order_steps_escalation_key').on(t.orderId, t.toLevel).where(sql`${t.kind} = 'escalate'`),
  ],
);

/**
 * 督办升级规则: after how many days overdue for its reply an order at a level goes one level up.
 * One row per level that can escalate (1 → 2, 2 → 3); kept as data like the warning rules.
 */
export const supervisionEscalationRules = pgTable(
  'supervision_escalation_rules',
  {
    id: idColumn(),
    fromLevel: integer('from_level').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    overdueDays: integer('overdue_days').notNull(),
    version: versionColumn(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('supervision_escalation_rules_level_key').on(t.fromLevel),
    check('supervision_escalation_rules_level_check', sql`${t.fromLevel} between 1 and 2`),
    check('supervision_escalation_rules_days_check', sql`${t.overdueDays} between 1 and 365`),
  ],
);
