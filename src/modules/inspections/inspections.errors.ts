import { conflict } from '../../lib/errors.js';

/** An issue raised during an inspection must stay on a project the inspection covers. */
export function projectHasIssues({ projectId, issueIds }: { projectId: string; issueIds: string[] }) {
  return conflict(
    'inspection_project_has_issues',
    `Project ${projectId} has issues raised during this inspection; move or delete them before removing the project`,
    { projectId, issueIds },
  );
}
