import { unprocessable } from '../../lib/errors.js';

export function titleRequired() {
  return unprocessable('milestone_title_required', 'A milestone of kind other needs a title / “其他节点”须填写名称');
}

/** At most this many milestones per project: a schedule, not a task list (the schedule answer lists them all). */
export const MILESTONES_MAX = 200;

export function tooManyMilestones(projectId: string) {
  return unprocessable('too_many_milestones', `Project ${projectId} already has ${MILESTONES_MAX} milestones / 节点数已达上限`, { projectId });
}
