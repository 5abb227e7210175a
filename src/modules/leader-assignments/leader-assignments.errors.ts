import { conflict, unprocessable, type AppError } from '../../lib/errors.js';

/** An archived leader has left the post; new projects go to a serving leader. */
export function leaderArchived(leaderId: string): AppError {
  return unprocessable('leader_archived', `Leader ${leaderId} is archived and cannot take a new assignment`, { leaderId });
}

export function assignmentEndsBeforeStart(startDate: string, endDate: string): AppError {
  return unprocessable(
    'assignment_ends_before_start',
    `endDate ${endDate} is before startDate ${startDate}`,
    { startDate, endDate },
  );
}

/** Two overlapping periods of the same leader, project and role would double-count in leader figures. */
export function assignmentOverlap(conflictingId: string): AppError {
  return conflict(
    'leader_assignment_overlap',
    'The leader already has this role on this project for part of that period; end or change that assignment first',
    { conflictingId },
  );
}
