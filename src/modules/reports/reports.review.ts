import type { ReviewDecision } from './reports.schemas.js';
import { illegalReview, returnReasonRequired } from './reports.errors.js';

type ReviewStatus = 'submitted' | 'approved' | 'returned';

/**
 * The office's review of a half-month report (填报 → 审核 → 退回): a submitted report is approved or
 * returned with a reason; an approved one may still be returned (found wrong later); a returned one
 * is not reviewed again until the department corrects it, which submits it again (reports.repository
 * revise). What the decision writes to the report row.
 */
export function applyReview(current: ReviewStatus, input: ReviewDecision, { actor }: { actor: string }) {
  const allowed = input.decision === 'approve' ? current === 'submitted' : current !== 'returned';
  if (!allowed) throw illegalReview(current, input.decision);
  if (input.decision === 'return' && !input.reason) throw returnReasonRequired();
  return {
    reviewStatus: input.decision === 'approve' ? ('approved' as const) : ('returned' as const),
    reviewedAt: new Date().toISOString(),
    reviewedBy: actor,
    ...(input.decision === 'return' ? { returnReason: input.reason! } : {}),
  };
}

/** What a correction (a new revision) does to the review: the report is submitted again, and a returned one is resubmitted now. */
export function reviewAfterCorrection(current: ReviewStatus) {
  return current === 'returned'
    ? { reviewStatus: 'submitted' as const, resubmittedAt: new Date().toISOString() }
    : { reviewStatus: 'submitted' as const };
}
