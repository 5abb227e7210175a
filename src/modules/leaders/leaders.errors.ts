import { conflict } from '../../lib/errors.js';

/** How many assignments a refusal names. */
export const IN_USE_LISTED = 50;

/** A leader still assigned to projects (now or from a later date) cannot be archived: end the assignments first. */
export function leaderInUse(id: string, assignmentIds: string[]) {
  const more = assignmentIds.length >= IN_USE_LISTED ? ` (the first ${IN_USE_LISTED})` : '';
  return conflict(
    'leader_in_use',
    `Leader ${id} has ${assignmentIds.length}${more} leader assignments that have not ended; end them (endDate) first / 该领导仍有未结束的挂点安排，请先结束`,
    { assignmentIds },
  );
}
