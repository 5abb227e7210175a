import type { projectStatus } from '../../domain/codes.js';

export type ProjectStatus = (typeof projectStatus.values)[number];

/** Status every project starts in; its first history row is written on creation. */
export const INITIAL_STATUS: ProjectStatus = 'planning';

/** The project lifecycle: which statuses each status may move to. Completed and cancelled are terminal. */
export const allowedTransitions: Record<ProjectStatus, readonly ProjectStatus[]> = {
  planning: ['approved', 'cancelled'],
  approved: ['under_construction', 'cancelled'],
  under_construction: ['suspended', 'completed', 'cancelled'],
  suspended: ['under_construction', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function canTransition(from: ProjectStatus, to: ProjectStatus): boolean {
  return allowedTransitions[from].includes(to);
}

