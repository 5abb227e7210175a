import { forbiddenStep, illegalStep, notDepartmentStep, noteRequired, replyDueRequired, stepBeforeLast } from './supervision.errors.js';
import type { SupervisionStatus, SupervisionStepKind } from './supervision.table.js';

/** The steps a caller takes (escalation and issuing are the service's and the create's own). */
export type SupervisionAction = Exclude<SupervisionStepKind, 'issue' | 'escalate'>;

interface Rule {
  /** Who takes the step: the department the order is addressed to, or its issuer. */
  side: 'department' | 'issuer';
  from: readonly SupervisionStatus[];
  to: SupervisionStatus;
}

/**
 * The order's workflow. The department replies with a fix plan (issued or sent back → planned),
 * then reports progress (→ in_progress, as often as needed); the issuer accepts it (→ closed, 销号)
 * or sends it back with a new reply deadline (→ returned), or withdraws it. closed and withdrawn are final.
 */
export const steps: Record<SupervisionAction, Rule> = {
  reply_plan: { side: 'department', from: ['issued', 'returned'], to: 'planned' },
  report_progress: { side: 'department', from: ['planned', 'in_progress'], to: 'in_progress' },
  accept: { side: 'issuer', from: ['planned', 'in_progress'], to: 'closed' },
  send_back: { side: 'issuer', from: ['planned', 'in_progress'], to: 'returned' },
  withdraw: { side: 'issuer', from: ['issued', 'planned', 'in_progress', 'returned'], to: 'withdrawn' },
};

/** The statuses an order waits for its department's fix plan in: the reply can be overdue, and escalates. */
export const WAITING_FOR_REPLY: readonly SupervisionStatus[] = ['issued', 'returned'];

/** The steps open from a status, for a 409's `allowed`. */
export function allowedFrom(status: SupervisionStatus): SupervisionAction[] {
  return (Object.keys(steps) as SupervisionAction[]).filter((a) => steps[a].from.includes(status));
}

export interface Actor {
  role: string | null | undefined;
  departmentId: string | null;
  leaderId: string | null;
}

export interface OrderState {
  status: SupervisionStatus;
  statusDate: string;
  departmentId: string;
  issuerLeaderId: string | null;
}

export interface StepInput {
  action: SupervisionAction;
  on: string;
  note?: string | null | undefined;
  replyDueDate?: string | undefined;
}

const office = (role: string | null | undefined) => role === 'admin' || role === 'office';

/** Whether the caller's key stands on the step's side: the office always; a department key for its own orders; a leader key for the orders it issued. */
function mayTake(actor: Actor, order: OrderState, side: Rule['side']): boolean {
  if (office(actor.role)) return true;
  if (side === 'department') return actor.role === 'department' && actor.departmentId === order.departmentId;
  return actor.role === 'leader' && actor.leaderId !== null && actor.leaderId === order.issuerLeaderId;
}

/** Checks a step and returns the columns it sets; 403 for the wrong side, 409 when illegal, 422 when its data does not fit. */
export function applyStep(order: OrderState, input: StepInput, actor: Actor) {
  const rule = steps[input.action];
  if (!mayTake(actor, order, rule.side)) throw forbiddenStep({ role: actor.role, action: input.action, side: rule.side });
  if (!rule.from.includes(order.status)) throw illegalStep({ from: order.status, action: input.action, allowed: allowedFrom(order.status) });
  if (input.on < order.statusDate) throw stepBeforeLast({ on: input.on, last: order.statusDate });
  const note = input.note ?? null;
  if (input.action !== 'withdraw' && input.action !== 'accept' && !note) throw noteRequired(input.action);
  if (input.action === 'send_back') {
    if (!input.replyDueDate || input.replyDueDate < input.on) throw replyDueRequired();
  } else if (input.replyDueDate !== undefined) {
    throw notDepartmentStep(input.action);
  }
  const base = { status: rule.to, statusDate: input.on };
  switch (input.action) {
    case 'reply_plan':
      return { ...base, fixPlan: note };
    case 'report_progress':
      return { ...base, progress: note };
    case 'accept':
      return { ...base, closedOn: input.on };
    case 'send_back':
      return { ...base, replyDueDate: input.replyDueDate! };
    case 'withdraw':
      return base;
  }
}
