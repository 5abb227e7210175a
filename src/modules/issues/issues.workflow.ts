import type { issueStatus } from '../../domain/codes.js';
import { illegalTransition, resolutionNotApplicable, resolutionRequired, resolvedBeforeRaised } from './issues.errors.js';
import type { IssueTransition } from './issues.schemas.js';

type Status = (typeof issueStatus.values)[number];

/** The issue workflow: resolved and withdrawn are final. */
export const allowedTransitions: Record<Status, readonly Status[]> = {
  open: ['in_progress', 'resolved', 'withdrawn'],
  in_progress: ['resolved', 'withdrawn'],
  resolved: [],
  withdrawn: [],
};

/** Checks a transition and returns the columns it sets; 409 when illegal, 422 when its data does not fit. */
export function applyTransition(issue: { status: Status; raisedOn: string }, transition: IssueTransition) {
  const from = issue.status;
  const to = transition.toStatus;
  const allowed = allowedTransitions[from];
  if (!allowed.includes(to)) throw illegalTransition({ from, to, allowed });
  if (to === 'resolved') {
    if (!transition.resolution || !transition.resolvedOn) throw resolutionRequired();
    if (transition.resolvedOn < issue.raisedOn) throw resolvedBeforeRaised({ raisedOn: issue.raisedOn, resolvedOn: transition.resolvedOn });
    return { status: to, resolution: transition.resolution, resolvedOn: transition.resolvedOn };
  }
  if (transition.resolvedOn !== undefined || (to === 'in_progress' && transition.resolution !== undefined)) {
    throw resolutionNotApplicable(to);
  }
  return { status: to, resolution: transition.resolution ?? null, resolvedOn: null };
}
